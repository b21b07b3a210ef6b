using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ApiClient;

/// <summary>
/// The steps a client of the API takes before it can do anything interesting: sign a tenant up, log in, create and
/// open a poll. Written once for the integration tests and the benchmark. Routes are relative to <paramref name="root"/>;
/// a step the API refuses throws <see cref="ApiCallFailed"/> with the answer's status and body.
/// </summary>
public sealed class PollingApi(HttpClient http, Uri root)
{
    /// <summary>How long an opened poll may take to show on the public routes before <see cref="OpenPollAsync"/> gives up.</summary>
    private static readonly TimeSpan PublicWithin = TimeSpan.FromSeconds(10);

    public PollingApi(HttpClient http)
        : this(http, http.BaseAddress ?? throw new ArgumentException("The client has no base address.", nameof(http)))
    {
    }

    /// <summary>A new tenant with its admin; returns the tenant's id.</summary>
    public async Task<Guid> SignUpAsync(string slug, string adminEmail, string adminPassword, string? name = null)
    {
        var created = await SendAsync(HttpMethod.Post, "/api/tenants", null,
            new { name = name ?? slug, slug, adminEmail, adminPassword }, HttpStatusCode.Created);
        return created.GetProperty("tenantId").GetGuid();
    }

    /// <summary>A member's access and refresh tokens.</summary>
    public async Task<Tokens> LogInAsync(string slug, string email, string password)
    {
        var tokens = await SendAsync(HttpMethod.Post, "/api/auth/token", null, new { tenant = slug, email, password }, HttpStatusCode.OK);
        return new Tokens(tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>A draft poll made from <paramref name="body"/>, as the API answered it.</summary>
    public Task<JsonElement> CreatePollAsync(string accessToken, object body) =>
        SendAsync(HttpMethod.Post, "/api/polls", accessToken, body, HttpStatusCode.Created);

    /// <summary>
    /// Opens a draft, as the API answered it, once the public route shows the poll (the open's answer already
    /// promises that on every instance; the wait makes a broken promise fail here, with its own words).
    /// </summary>
    public async Task<JsonElement> OpenPollAsync(string accessToken, Guid pollId)
    {
        var opened = await SendAsync(HttpMethod.Post, $"/api/polls/{pollId}/open", accessToken, null, HttpStatusCode.OK);
        var deadline = DateTime.UtcNow + PublicWithin;
        while (true)
        {
            using var view = await http.GetAsync(new Uri(root, $"/api/public/polls/{pollId}"));
            if (view.StatusCode == HttpStatusCode.OK)
            {
                return opened;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new ApiCallFailed($"GET /api/public/polls/{pollId} after the open", view.StatusCode, await view.Content.ReadAsStringAsync());
            }
            await Task.Delay(25);
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string route, string? accessToken, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(root, route)) { Content = body is null ? null : JsonContent.Create(body) };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new ApiCallFailed($"{method} {route}", response.StatusCode, text);
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>What <see cref="PollingApi.LogInAsync"/> returns.</summary>
public sealed record Tokens(string AccessToken, string RefreshToken);

/// <summary>A setup step the API refused: which, and what it answered.</summary>
public sealed class ApiCallFailed(string call, HttpStatusCode status, string body)
    : Exception($"{call} answered {(int)status} {status}: {body}");
