using System.Net.Http.Headers;
using ApiClient;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests.Fixtures;

/// <summary>One host on one deployment (catalog and two shards) per test class, with helpers for the steps most tests start from.</summary>
public class ApiFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery staple";
    private static int _tenants;

    public ApiFactory Factory { get; private set; } = null!;
    public Deployment Deployment { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Deployment = await CreateDeploymentAsync();
        Factory = new ApiFactory(Deployment, ConfigureServices);
        Factory.CreateClient().Dispose();
    }

    public Task DisposeAsync() => Factory.DisposeAsync().AsTask();

    protected virtual Task<Deployment> CreateDeploymentAsync() => Deployment.CreateAsync();

    /// <summary>New tenants until one lives on each shard; the default placement alternates, so two are usually enough.</summary>
    public async Task<Dictionary<string, TenantSession>> TenantOnEachShardAsync()
    {
        var byShard = new Dictionary<string, TenantSession>();
        for (var i = 0; i < 6 && byShard.Count < Deployment.ShardIds.Count; i++)
        {
            var tenant = await NewTenantAsync();
            byShard.TryAdd(await Deployment.ShardOfAsync(tenant.TenantId), tenant);
        }
        Assert.Equal(Deployment.ShardIds.Order(), byShard.Keys.Order());
        return byShard;
    }

    public HttpClient Operator()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Operator-Key", ApiFactory.OperatorKey);
        return client;
    }

    /// <summary>Extra services for the host of a test class that needs them.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient As(string accessToken)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public HttpClient WithApiKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Signs up a new tenant and logs its admin in.</summary>
    public async Task<TenantSession> NewTenantAsync()
    {
        var slug = $"t{Environment.ProcessId}-{Interlocked.Increment(ref _tenants)}-{Guid.NewGuid():N}"[..30];
        var email = $"admin@{slug}.example";
        var script = Script();
        var tenantId = await script.SignUpAsync(slug, email, Password, name: "Tenant " + slug);
        var tokens = await script.LogInAsync(slug, email, Password);
        return new TenantSession(this, tenantId, slug, email, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>The setup steps, as a client of the API takes them.</summary>
    public PollingApi Script() => new(Anonymous());

    /// <summary>Votes stored for a poll, read from the database itself: the source of truth for "nothing was written".</summary>
    public Task<long> VotesStoredAsync(Guid pollId) =>
        Deployment.ScalarAsync("SELECT count(*) FROM votes.votes WHERE poll_id = $1", pollId);

    public async Task<JsonElement> LoginAsync(string slug, string email, string password)
    {
        var response = await Anonymous().PostAsJsonAsync("/api/auth/token", new { tenant = slug, email, password });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public sealed record TenantSession(ApiFixture Api, Guid TenantId, string Slug, string AdminEmail, string AccessToken, string RefreshToken)
{
    public HttpClient Admin() => Api.As(AccessToken);

    /// <summary>Adds a member with the role and returns a client logged in as them.</summary>
    public async Task<HttpClient> MemberAsync(string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@{Slug}.example";
        var added = await Admin().PostAsJsonAsync("/api/users", new { email, password = ApiFixture.Password, role });
        added.EnsureSuccessStatusCode();
        return Api.As((await Api.Script().LogInAsync(Slug, email, ApiFixture.Password)).AccessToken);
    }

    /// <summary>Creates a draft poll; <paramref name="overrides"/> replace fields of a valid two-option body.</summary>
    public Task<JsonElement> CreatePollAsync(object? overrides = null) => Api.Script().CreatePollAsync(AccessToken, PollBodies.Valid(overrides));

    /// <summary>Creates and opens a poll, returning it as opened once the public routes show it.</summary>
    public async Task<JsonElement> OpenPollAsync(object? overrides = null) =>
        await Api.Script().OpenPollAsync(AccessToken, (await CreatePollAsync(overrides)).Id());

    /// <summary>Closes a poll by hand and waits until the public routes show it closed.</summary>
    public async Task ClosePollAsync(Guid id)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Admin().PostAsync($"/api/polls/{id}/close", null)).StatusCode);
        await PublicStatusAsync(id, "closed");
    }

    /// <summary>Waits until Votes' copy of the poll, behind the public routes, shows <paramref name="status"/> ("gone" for 404).</summary>
    public Task PublicStatusAsync(Guid id, string status) =>
        Eventually.GetAsync(async () =>
        {
            var response = await Api.Anonymous().GetAsync($"/api/public/polls/{id}");
            return response.StatusCode == System.Net.HttpStatusCode.NotFound
                ? "gone"
                : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
        }, seen => seen == status, $"public status {status}");

    /// <summary>The member results' total once it reaches <paramref name="expected"/> (tallies follow votes asynchronously).</summary>
    public async Task<JsonElement> ResultsWhenCountedAsync(Guid pollId, long expected) =>
        await Eventually.GetAsync(
            () => Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{pollId}/results"),
            results => results.GetProperty("totalVotes").GetInt64() == expected,
            $"{expected} votes counted");
}
