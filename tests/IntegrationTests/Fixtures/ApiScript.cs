using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationTests.Fixtures;

/// <summary>The setup steps as a client of a running host would take them, for tests that drive real processes.</summary>
public static class ApiScript
{
    /// <summary>Signs up a tenant and returns an admin client for it.</summary>
    public static async Task<HttpClient> AdminOfNewTenantAsync(HostProcess host)
    {
        var anonymous = host.Client();
        var slug = "p" + Guid.NewGuid().ToString("N")[..16];
        var email = $"admin@{slug}.example";
        (await anonymous.PostAsJsonAsync("/api/tenants", new { name = slug, slug, adminEmail = email, adminPassword = ApiFixture.Password })).EnsureSuccessStatusCode();
        var login = await anonymous.PostAsJsonAsync("/api/auth/token", new { tenant = slug, email, password = ApiFixture.Password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var admin = host.Client();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return admin;
    }

    /// <summary>Creates and opens a poll, and waits until the public route shows it open.</summary>
    public static async Task<JsonElement> OpenPollAsync(HttpClient admin, object? overrides = null)
    {
        var created = await admin.PostAsJsonAsync("/api/polls", PollBodies.Valid(overrides));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var opened = await admin.PostAsync($"/api/polls/{id}/open", null);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        await Eventually.GetAsync(() => admin.GetAsync($"/api/public/polls/{id}"), r => r.StatusCode == HttpStatusCode.OK, "the poll public");
        return await opened.Content.ReadFromJsonAsync<JsonElement>();
    }
}
