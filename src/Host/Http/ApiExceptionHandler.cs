using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Shared.Problems;
using Shared.Tenancy;

namespace Host.Http;

/// <summary>
/// Turns exceptions into problem+json. A request the framework could not read is the client's mistake and is said
/// plainly; anything else is a 500 whose details stay in the log outside Development.
/// </summary>
internal sealed partial class ApiExceptionHandler(
    IProblemDetailsService problems, TenantDirectory directory, IHostEnvironment environment, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    private const string RetryAfterSeconds = "1";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (Unavailable(exception) is TenantUnavailableException moved)
        {
            // The shard says the tenant is not (or no longer) there: ask the catalog afresh next time.
            await directory.ForgetAsync(moved.TenantId);
        }
        var problem = exception switch
        {
            BadHttpRequestException bad => ForBadRequest(bad),
            _ when Unavailable(exception) is { } reason => ForUnavailable(context, reason),
            _ => ForFault(exception),
        };
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails ForBadRequest(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiProblem.Details(status, ProblemCodes.PayloadTooLarge, "Payload too large", exception.Message);
        }
        if (status != StatusCodes.Status400BadRequest)
        {
            return ApiProblem.Details(status, ProblemCodes.ForStatus(status), "Bad request", exception.Message);
        }
        var (field, message, detail) = exception.InnerException is JsonException json
            ? (FieldOf(json.Path), "Is not valid JSON of the expected type.", "The request body could not be read.")
            : BoundParameter().Match(exception.Message) is { Success: true } parameter
                ? (parameter.Groups["name"].Value, "Is not a valid value of the expected type.", $"The parameter {parameter.Groups["name"].Value} could not be read.")
                : ("body", exception.Message, "The request body could not be read.");
        var problem = ApiProblem.Details(status, ProblemCodes.ValidationFailed, "The request is not valid", detail);
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return problem;
    }

    /// <summary>ASP.NET Core's words when a query, header or route value does not bind: "Failed to bind parameter "int? limit" from "abc"."</summary>
    [GeneratedRegex("""^(?:Failed to bind parameter|Required parameter) "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)" """)]
    private static partial Regex BoundParameter();

    /// <summary>
    /// What makes a tenant's data briefly unreachable: its shard down or timing out, or the tenant being moved.
    /// Found also when wrapped (EF wraps what fails inside SaveChanges).
    /// </summary>
    private static Exception? Unavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TenantUnavailableException or TimeoutException or NpgsqlException { IsTransient: true })
            {
                return e;
            }
        }
        return null;
    }

    private ProblemDetails ForUnavailable(HttpContext context, Exception reason)
    {
        logger.LogWarning(reason, "Tenant data unavailable");
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return ApiProblem.Details(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "Temporarily unavailable",
            "This tenant's data cannot be reached just now. Retry after the time in Retry-After.");
    }

    private ProblemDetails ForFault(Exception exception)
    {
        logger.LogError(exception, "Unhandled exception");
        return ApiProblem.Details(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "An unexpected error occurred",
            environment.IsDevelopment() ? exception.ToString() : "The error has been logged; quote the traceId when reporting it.");
    }

    // System.Text.Json reports "$.options[1].text"; clients know the field as "options[1].text".
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
