using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Shared.Http;
using Shared.Tenancy;
using Shared.Problems;

namespace Shared.Idempotency;

/// <summary>Endpoint metadata: this POST creates something and honours <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentCreate;

public static class IdempotentCreateExtensions
{
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder builder) => builder.WithMetadata(new IdempotentCreate());
}

/// <summary>
/// A repeat of a create with the same <c>Idempotency-Key</c> and body gets the original response instead of
/// creating again; the same key with another body is <c>422 idempotency_key_reused</c>. Keys belong to the caller
/// (a tenant member, an API key, or the anonymous public) and are remembered for a day. Server errors are not
/// remembered, so a retry after a 5xx runs again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ShardMap shards, ICallerIdentity callers)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (key.Length == 0 || !HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreate>() is null)
        {
            await next(context);
            return;
        }
        if (key.Length > MaxKeyLength)
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is not valid",
                $"{HeaderName} must be at most {MaxKeyLength} characters.");
            return;
        }
        var scope = ScopeOf(context.User);
        var hash = await HashRequestAsync(context.Request);
        if (await TryClaimAsync(scope, key, hash, context.RequestAborted))
        {
            await RunAndRememberAsync(context, scope, key);
            return;
        }
        var earlier = await FindAsync(scope, key, context.RequestAborted);
        if (earlier is null || !CryptographicOperations.FixedTimeEquals(earlier.RequestHash, hash))
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused,
                "Idempotency key reused", $"This {HeaderName} was used for a different request.");
            return;
        }
        if (earlier.Status is not { } status)
        {
            await ProblemWriter.WriteAsync(context, StatusCodes.Status409Conflict, ProblemCodes.IdempotencyKeyInProgress,
                "Request in progress", $"A request with this {HeaderName} is still being processed; retry shortly.");
            return;
        }
        await ReplayAsync(context, earlier, status);
    }

    private async Task RunAndRememberAsync(HttpContext context, string scope, string key)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var remembered = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode < 500)
            {
                await RememberAsync(scope, key, context.Response, buffer.ToArray());
                remembered = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!remembered)
            {
                await ForgetAsync(scope, key);
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentRequest earlier, int status)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (earlier.ContentType is not null)
        {
            context.Response.ContentType = earlier.ContentType;
        }
        if (earlier.Location is not null)
        {
            context.Response.Headers.Location = earlier.Location;
        }
        if (earlier.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private string ScopeOf(ClaimsPrincipal user) => callers.Of(user) is { } caller ? $"{caller.Tenant}:{caller.Id}" : "public";

    /// <summary>What the request was: its route and its exact body. The body limit has already bounded the read.</summary>
    private static async Task<byte[]> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private async Task<bool> TryClaimAsync(string scope, string key, byte[] hash, CancellationToken cancellationToken)
    {
        await using var command = shards.Catalog.CreateCommand("""
            INSERT INTO platform.idempotent_requests (scope, key, request_hash, created_at) VALUES ($1, $2, $3, now())
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task RememberAsync(string scope, string key, HttpResponse response, byte[] body)
    {
        await using var command = shards.Catalog.CreateCommand("""
            UPDATE platform.idempotent_requests SET status = $3, content_type = $4, location = $5, body = $6 WHERE scope = $1 AND key = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = response.StatusCode });
        command.Parameters.Add(new NpgsqlParameter { Value = response.ContentType ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = response.Headers.Location.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = body });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task ForgetAsync(string scope, string key)
    {
        await using var command = shards.Catalog.CreateCommand("DELETE FROM platform.idempotent_requests WHERE scope = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task<IdempotentRequest?> FindAsync(string scope, string key, CancellationToken cancellationToken)
    {
        await using var command = shards.Catalog.CreateCommand("""
            SELECT request_hash, status, content_type, location, body FROM platform.idempotent_requests WHERE scope = $1 AND key = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new IdempotentRequest
        {
            Scope = scope,
            Key = key,
            RequestHash = reader.GetFieldValue<byte[]>(0),
            Status = reader.IsDBNull(1) ? null : reader.GetInt32(1),
            ContentType = reader.IsDBNull(2) || reader.GetString(2).Length == 0 ? null : reader.GetString(2),
            Location = reader.IsDBNull(3) || reader.GetString(3).Length == 0 ? null : reader.GetString(3),
            Body = reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
        };
    }
}
