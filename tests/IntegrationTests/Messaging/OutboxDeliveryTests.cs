using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Shared.Messaging;
using Votes.Data;

namespace IntegrationTests.Messaging;

/// <summary>The bus's promises, on the real host and a real PostgreSQL: commit-or-nothing, effectively-once, retries, dead letters.</summary>
public sealed class OutboxDeliveryTests(MessagingFixture api) : IClassFixture<MessagingFixture>
{
    private async Task PublishInUnitOfWorkAsync(Probe probe, bool commit)
    {
        await api.PrepareAsync();
        await using var scope = await api.TenantScopeAsync();
        var db = scope.ServiceProvider.GetRequiredService<VotesDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.PublishOnCommit(probe, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    [Fact]
    public async Task A_message_published_in_a_rolled_back_transaction_is_never_delivered()
    {
        var rolledBack = new Probe(Guid.NewGuid(), 0);
        var committed = new Probe(Guid.NewGuid(), 0);
        await PublishInUnitOfWorkAsync(rolledBack, commit: false);
        await PublishInUnitOfWorkAsync(committed, commit: true);

        // The committed one arrives, which shows the relay has run past the point where the other would be.
        await Eventually.GetAsync(() => api.EffectsAsync(committed.Key), n => n == 1, "the committed probe delivered");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, await api.EffectsAsync(rolledBack.Key));
        Assert.False(ProbeHandler.Attempts.ContainsKey(rolledBack.Key));
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM messaging.outbox WHERE payload->>'key' = $1", rolledBack.Key.ToString()));
    }

    [Fact]
    public async Task A_handler_that_fails_twice_then_succeeds_has_exactly_one_effect()
    {
        var probe = new Probe(Guid.NewGuid(), FailTimes: 2);
        await PublishInUnitOfWorkAsync(probe, commit: true);
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the probe's effect");
        Assert.Equal(3, ProbeHandler.Attempts[probe.Key]);

        // A repeat delivery of the same message (as after a crash between commit and acknowledgement) changes nothing.
        Assert.Equal(1, await api.ScalarAsync("""
            WITH again AS (UPDATE messaging.outbox SET dispatched_at = NULL, due_at = now(), attempts = 0
                           WHERE payload->>'key' = $1 RETURNING id)
            SELECT count(*) FROM again
            """, probe.Key.ToString()));
        await Eventually.GetAsync(
            () => api.ScalarAsync("SELECT count(*) FROM messaging.outbox WHERE payload->>'key' = $1 AND dispatched_at IS NOT NULL", probe.Key.ToString()),
            n => n == 1, "the repeat delivered");
        Assert.Equal(1, await api.EffectsAsync(probe.Key));
    }

    [Fact]
    public async Task A_handler_that_always_fails_becomes_a_dead_letter_and_a_replay_delivers_it()
    {
        var probe = new Probe(Guid.NewGuid(), FailTimes: MessagingFixture.ProbeRetries.MaxAttempts);
        await PublishInUnitOfWorkAsync(probe, commit: true);
        var operatorClient = api.Anonymous();
        operatorClient.DefaultRequestHeaders.Add("X-Operator-Key", ApiFactory.OperatorKey);

        var dead = await Eventually.GetAsync(
            async () => (await operatorClient.GetFromJsonAsync<JsonElement>("/api/ops/dead-letters?limit=100")).GetProperty("items").EnumerateArray()
                .FirstOrDefault(d => d.GetProperty("payload").GetProperty("key").GetGuid() == probe.Key),
            d => d.ValueKind == JsonValueKind.Object, "the probe in the dead letters");
        Assert.Equal(MessagingFixture.ProbeRetries.MaxAttempts, dead.GetProperty("attempts").GetInt32());
        Assert.Contains("fails on attempt 3", dead.GetProperty("error").GetString());
        Assert.Equal(MessagingFixture.ProbeRetries.MaxAttempts, ProbeHandler.Attempts[probe.Key]);
        Assert.Equal(0, await api.EffectsAsync(probe.Key));

        // The cause is fixed (this probe succeeds from its fourth attempt on), and the operator replays it.
        var replay = await operatorClient.PostAsync($"/api/ops/dead-letters/{dead.GetProperty("id").GetGuid()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the replayed probe's effect");
        await (await operatorClient.PostAsync($"/api/ops/dead-letters/{dead.GetProperty("id").GetGuid()}/replay", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
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
    public async Task The_bus_outside_a_unit_of_work_commits_and_delivers_at_once_or_at_the_scheduled_time()
    {
        await api.PrepareAsync();
        await using var scope = await api.TenantScopeAsync();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var now = new Probe(Guid.NewGuid(), 0);
        var later = new Probe(Guid.NewGuid(), 0);
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await bus.ScheduleAsync(later, dueAt);
        await bus.SendAsync(now);

        await Eventually.GetAsync(() => api.EffectsAsync(now.Key), n => n == 1, "the sent probe");
        Assert.Equal(0, await api.EffectsAsync(later.Key));
        await Eventually.GetAsync(() => api.EffectsAsync(later.Key), n => n == 1, "the scheduled probe");
        var deliveredAt = DateTimeOffset.UtcNow;
        Assert.True(deliveredAt >= dueAt, "delivered early");
        Assert.True(deliveredAt - dueAt < TimeSpan.FromSeconds(1), $"delivered {(deliveredAt - dueAt).TotalMilliseconds} ms late");
    }

    [Fact]
    public async Task Invoke_answers_in_process()
    {
        var probe = new Probe(Guid.NewGuid(), 0);
        await PublishInUnitOfWorkAsync(probe, commit: true);
        await Eventually.GetAsync(() => api.EffectsAsync(probe.Key), n => n == 1, "the probe delivered");
        await using var scope = await api.TenantScopeAsync();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        Assert.Equal(1, await bus.InvokeAsync<CountProbeEffects, long>(new CountProbeEffects(probe.Key)));
    }

    [Fact]
    public async Task The_relay_reports_deliveries_retries_lag_and_dead_letters_as_metrics()
    {
        var seen = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();

        await PublishInUnitOfWorkAsync(new Probe(Guid.NewGuid(), FailTimes: 1), commit: true);
        await PublishInUnitOfWorkAsync(new Probe(Guid.NewGuid(), FailTimes: MessagingFixture.ProbeRetries.MaxAttempts), commit: true);
        await Eventually.GetAsync(() => Task.FromResult(seen.GetValueOrDefault("outbox.dead_letters")), n => n >= 1, "a dead letter counted");
        Assert.True(seen.GetValueOrDefault("outbox.dispatched") >= 1);
        Assert.True(seen.GetValueOrDefault("outbox.retries") >= 3);
        Assert.True(seen.ContainsKey("outbox.dispatch_lag"));
    }

    [Fact]
    public async Task A_handler_that_outlasts_the_lease_keeps_its_claim_until_it_is_done()
    {
        await using var scope = await api.TenantScopeAsync();
        var probe = new SlowProbe(Guid.NewGuid(), Milliseconds: 5000);
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(probe);
        await Eventually.GetAsync(
            () => api.ScalarAsync("SELECT count(*) FROM messaging.outbox WHERE payload->>'key' = $1 AND locked_until IS NOT NULL", probe.Key.ToString()),
            n => n == 1, "the slow probe claimed");
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        // Past the 2 s lease and still being handled: the claim has been renewed, so no other relay may take it.
        Assert.Equal(1, await api.ScalarAsync(
            "SELECT count(*) FROM messaging.outbox WHERE payload->>'key' = $1 AND dispatched_at IS NULL AND locked_until > now()", probe.Key.ToString()));
        await Eventually.GetAsync(
            () => api.ScalarAsync("SELECT count(*) FROM messaging.outbox WHERE payload->>'key' = $1 AND dispatched_at IS NOT NULL AND attempts = 1", probe.Key.ToString()),
            n => n == 1, "the slow probe delivered on its first attempt");
    }
}
