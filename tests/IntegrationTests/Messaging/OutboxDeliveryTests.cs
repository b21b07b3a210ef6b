using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Shared.Messaging;
using Shared.Tenancy;
using Votes.Data;

namespace IntegrationTests.Messaging;

/// <summary>
/// The bus's promises, on the real host, Wolverine and a real PostgreSQL: commit-or-nothing, effectively-once,
/// retries, dead letters an operator lists and replays.
/// </summary>
public sealed class OutboxDeliveryTests(MessagingFixture api) : IClassFixture<MessagingFixture>
{
    private async Task PublishInUnitOfWorkAsync(Probe probe, bool commit, TenantPlacement? tenant = null)
    {
        await api.PrepareAsync();
        await using var scope = await api.TenantScopeAsync(tenant);
        var db = scope.ServiceProvider.GetRequiredService<VotesDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        await outbox.PublishAsync(db, probe);
        if (commit)
        {
            await outbox.SaveChangesAsync(db, CancellationToken.None);
        }
        else
        {
            await db.Database.RollbackTransactionAsync();
        }
    }

    private HttpClient Operator()
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Add("X-Operator-Key", ApiFactory.OperatorKey);
        return client;
    }

    [Fact]
    public async Task A_message_published_in_a_rolled_back_transaction_is_never_delivered()
    {
        var rolledBack = new Probe(Guid.NewGuid(), 0);
        var committed = new Probe(Guid.NewGuid(), 0);
        await PublishInUnitOfWorkAsync(rolledBack, commit: false);
        await PublishInUnitOfWorkAsync(committed, commit: true);

        await Eventually.GetAsync(() => api.EffectsAsync(committed.Key), n => n == 1, "the committed probe delivered");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, await api.EffectsAsync(rolledBack.Key));
        Assert.False(ProbeEffects.Attempts.ContainsKey(rolledBack.Key));
    }

    [Fact]
    public async Task A_handler_that_fails_twice_after_writing_then_succeeds_has_exactly_one_effect()
    {
        var probe = new Probe(Guid.NewGuid(), FailTimes: 2);
        await PublishInUnitOfWorkAsync(probe, commit: true);

        await Eventually.GetAsync(() => Task.FromResult(ProbeEffects.Attempts.GetValueOrDefault(probe.Key)), n => n == 3, "three attempts");
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the probe's effect");
        await Task.Delay(TimeSpan.FromSeconds(1));
        // Each failed attempt's write rolled back with it; the message is marked handled in the last one's transaction.
        Assert.Equal(1, await api.EffectsAsync(probe.Key));
        Assert.Equal(3, ProbeEffects.Attempts[probe.Key]);
    }

    [Fact]
    public async Task A_handler_that_always_fails_becomes_a_dead_letter_and_a_replay_delivers_it()
    {
        var probe = new Probe(Guid.NewGuid(), FailTimes: ProbeHandler.MaxAttempts);
        await PublishInUnitOfWorkAsync(probe, commit: true);
        var operatorClient = Operator();

        var dead = await Eventually.GetAsync(
            async () => (await operatorClient.GetFromJsonAsync<JsonElement>("/api/ops/dead-letters?limit=100")).GetProperty("items").EnumerateArray()
                .FirstOrDefault(d => d.GetProperty("payload").GetProperty("key").GetGuid() == probe.Key),
            d => d.ValueKind == JsonValueKind.Object, "the probe in the dead letters");
        Assert.EndsWith(nameof(Probe), dead.GetProperty("messageType").GetString());
        Assert.Contains($"fails on attempt {ProbeHandler.MaxAttempts}", dead.GetProperty("error").GetString());
        Assert.Equal(ProbeHandler.MaxAttempts, ProbeEffects.Attempts[probe.Key]);
        Assert.Equal(0, await api.EffectsAsync(probe.Key));

        // The cause is fixed (this probe succeeds from its fourth attempt on), and the operator replays it.
        var replay = await operatorClient.PostAsync($"/api/ops/dead-letters/{dead.GetProperty("id").GetGuid()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the replayed probe's effect", seconds: 30);
        await (await operatorClient.PostAsync($"/api/ops/dead-letters/{dead.GetProperty("id").GetGuid()}/replay", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_moved_tenants_dead_letter_moves_with_it_and_is_replayed_on_its_new_shard()
    {
        var tenant = await api.NewPlacedTenantAsync();
        var to = tenant.ShardId == "shard-0" ? "shard-1" : "shard-0";
        var probe = new Probe(Guid.NewGuid(), FailTimes: ProbeHandler.MaxAttempts);
        await PublishInUnitOfWorkAsync(probe, commit: true, tenant);
        var operatorClient = Operator();
        var id = (await Eventually.GetAsync(() => DeadLetterOfAsync(operatorClient, probe), d => d.HasValue, "the probe in the dead letters"))!.Value;

        var moved = await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = to });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        const string DeadLetter = "SELECT count(*) FROM wolverine.wolverine_dead_letters WHERE id = $1";
        Assert.Equal(0, await api.Deployment.ShardScalarAsync(tenant.ShardId, DeadLetter, id));
        Assert.Equal(1, await api.Deployment.ShardScalarAsync(to, DeadLetter, id));
        Assert.Equal(id, await DeadLetterOfAsync(operatorClient, probe));

        var replay = await operatorClient.PostAsync($"/api/ops/dead-letters/{id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.GetAsync(() => api.Deployment.ShardScalarAsync(to, "SELECT count(*) FROM public.probe_effects WHERE probe_key = $1", probe.Key),
            n => n == 1, "the replayed probe's effect on the tenant's new shard", seconds: 30);
        Assert.Equal(1, await api.EffectsAsync(probe.Key));
    }

    private static async Task<Guid?> DeadLetterOfAsync(HttpClient operatorClient, Probe probe) =>
        (await operatorClient.GetFromJsonAsync<JsonElement>("/api/ops/dead-letters?limit=100")).GetProperty("items").EnumerateArray()
            .Where(d => d.GetProperty("payload").GetProperty("key").GetGuid() == probe.Key)
            .Select(d => (Guid?)d.GetProperty("id").GetGuid()).SingleOrDefault();

    [Fact]
    public async Task A_message_not_yet_handled_is_counted_as_waiting_on_its_tenants_shard()
    {
        var tenant = await api.NewPlacedTenantAsync();
        var probe = new Probe(Guid.NewGuid(), 0);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ProbeHandler.Gates[probe.Key] = gate;
        await PublishInUnitOfWorkAsync(probe, commit: true, tenant);
        try
        {
            var metrics = await api.Anonymous().GetStringAsync("/metrics");
            var waiting = Regex.Match(metrics, $@"(?m)^messages_waiting\{{[^}}]*shard=""{tenant.ShardId}""[^}}]*\}} (\d+)$");
            Assert.True(waiting.Success, "the shard's gauge is exported");
            Assert.True(long.Parse(waiting.Groups[1].Value, CultureInfo.InvariantCulture) >= 1, $"{waiting.Value}: the held probe counted");
        }
        finally
        {
            gate.SetResult();
        }
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the probe handled once released");
    }

    [Fact]
    public async Task A_tenant_with_a_message_not_yet_handled_is_moved_only_once_it_is_handled()
    {
        var tenant = await api.NewPlacedTenantAsync();
        var to = tenant.ShardId == "shard-0" ? "shard-1" : "shard-0";
        var probe = new Probe(Guid.NewGuid(), 0);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ProbeHandler.Gates[probe.Key] = gate;
        await PublishInUnitOfWorkAsync(probe, commit: true, tenant);

        // Handled on the old shard after the move, the message would be refused there: the move waits, then declines.
        var refused = await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = to });
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal(tenant.ShardId, await api.Deployment.ShardOfAsync(tenant.TenantId));

        gate.SetResult();
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the probe handled on the tenant's shard");
        var moved = await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = to });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(to, await api.Deployment.ShardOfAsync(tenant.TenantId));
    }

    [Fact]
    public async Task Dead_letters_page_by_cursor_and_refuse_a_bad_limit_or_an_unknown_id()
    {
        var operatorClient = Operator();
        await (await operatorClient.GetAsync("/api/ops/dead-letters?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await operatorClient.PostAsync($"/api/ops/dead-letters/{Guid.NewGuid()}/replay", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await operatorClient.PostAsync("/api/ops/dead-letters/not-an-id/replay", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Operator_routes_refuse_a_missing_or_wrong_key_and_a_tenant_admins_token()
    {
        var tenant = await api.NewTenantAsync();
        var wrong = api.Anonymous();
        wrong.DefaultRequestHeaders.Add("X-Operator-Key", "guess");
        foreach (var client in new[] { api.Anonymous(), wrong, tenant.Admin() })
        {
            await (await client.GetAsync("/api/ops/dead-letters")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
            await (await client.PostAsync($"/api/ops/dead-letters/{Guid.NewGuid()}/replay", null)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        }
    }

    [Fact]
    public async Task Handled_failed_and_dead_lettered_messages_are_reported_as_metrics()
    {
        var seen = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WolverineSetup.Meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => seen.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();

        await PublishInUnitOfWorkAsync(new Probe(Guid.NewGuid(), FailTimes: 1), commit: true);
        await PublishInUnitOfWorkAsync(new Probe(Guid.NewGuid(), FailTimes: ProbeHandler.MaxAttempts), commit: true);
        await Eventually.GetAsync(() => Task.FromResult(seen.GetValueOrDefault("wolverine-dead-letter-queue")), n => n >= 1, "a dead letter counted");
        Assert.True(seen.GetValueOrDefault("wolverine-messages-succeeded") >= 1);
        Assert.True(seen.GetValueOrDefault("wolverine-execution-failure") >= 3);
        Assert.True(seen.ContainsKey("wolverine-effective-time"));
    }
}
