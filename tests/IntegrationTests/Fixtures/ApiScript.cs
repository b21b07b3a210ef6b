using System.Net.Http.Headers;
using ApiClient;

namespace IntegrationTests.Fixtures;

/// <summary>The setup steps, as a client of a running host takes them, for tests that drive real processes.</summary>
public static class ApiScript
{
    /// <summary>Signs up a tenant and returns an admin client for it.</summary>
    public static async Task<HttpClient> AdminOfNewTenantAsync(HostProcess host)
    {
        var script = new PollingApi(host.Client());
        var slug = "p" + Guid.NewGuid().ToString("N")[..16];
        var email = $"admin@{slug}.example";
        await script.SignUpAsync(slug, email, ApiFixture.Password);
        var tokens = await script.LogInAsync(slug, email, ApiFixture.Password);
        var admin = host.Client();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return admin;
    }

    /// <summary>Creates and opens a poll with an admin client, once the public route shows it.</summary>
    public static async Task<JsonElement> OpenPollAsync(HttpClient admin, object? overrides = null)
    {
        var script = new PollingApi(admin);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        return await script.OpenPollAsync(token, (await script.CreatePollAsync(token, PollBodies.Valid(overrides))).Id());
    }
}
