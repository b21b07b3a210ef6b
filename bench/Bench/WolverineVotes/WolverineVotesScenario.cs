using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.EntityFrameworkCore;
using Wolverine.Postgresql;

namespace Bench.WolverineVotes;

/// <summary>
/// The alternative ADR 0005 turned down, measured in the same run: each vote stored with a <see cref="VoteCast"/> in
/// Wolverine's EF Core outbox (one transaction per vote), counted by Wolverine's batched handling (100 at a time) from
/// durable local queues. In this process, without HTTP, authentication or duplicate checks, so it is the favoured side.
/// </summary>
internal static class WolverineVotesScenario
{
    private const int BatchSize = 100;

    public sealed record Figures(LoadResult Run, double CountedPerSecond, double LagP50, double LagP99, TimeSpan Drain);

    public static async Task<Figures> RunAsync(string postgres, int concurrency, TimeSpan duration)
    {
        await using var db = NpgsqlDataSource.Create(postgres);
        await using (var create = db.CreateCommand(Ballots.CreateSql))
        {
            await create.ExecuteNonQueryAsync();
        }
        using var host = Build(postgres);
        await host.StartAsync();
        try
        {
            var pollId = Guid.NewGuid();
            Func<Task<bool>> vote = () => VoteAsync(host.Services, pollId);
            await Load.ClosedLoopAsync("warm-up", vote, concurrency, TimeSpan.FromSeconds(3));
            await DrainAsync(db, pollId);
            TallyHandler.Lags.Clear();

            var run = await Load.ClosedLoopAsync("votes through Wolverine's outbox, counted in batches", vote, concurrency, duration);
            var drain = System.Diagnostics.Stopwatch.StartNew();
            await DrainAsync(db, pollId);
            drain.Stop();
            var lags = TallyHandler.Lags.Order().ToArray();
            return new Figures(run, lags.Length / (duration + drain.Elapsed).TotalSeconds, Percentile(lags, 0.5), Percentile(lags, 0.99), drain.Elapsed);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static IHost Build(string postgres)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContextWithWolverineIntegration<Ballots>(options => options.UseNpgsql(postgres));
        builder.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(TallyHandler).Assembly;
            options.Discovery.DisableConventionalDiscovery().IncludeType(typeof(TallyHandler));
            options.PersistMessagesWithPostgresql(postgres, Ballots.Schema);
            options.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            options.Durability.Mode = DurabilityMode.Solo;
            options.Policies.UseDurableLocalQueues();
            options.Policies.AutoApplyTransactions();
            options.UseEntityFrameworkCoreTransactions();
            options.BatchMessagesOf<VoteCast>(batching => batching.BatchSize = BatchSize);
            options.UseRuntimeCompilation();
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
        });
        return builder.Build();
    }

    private static async Task<bool> VoteAsync(IServiceProvider services, Guid pollId)
    {
        await using var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IDbContextOutbox<Ballots>>();
        var ballot = new Ballot { Id = Guid.CreateVersion7(), PollId = pollId, Option = Random.Shared.Next(4), CastAt = DateTimeOffset.UtcNow };
        outbox.DbContext.Cast.Add(ballot);
        await outbox.PublishAsync(new VoteCast(ballot.Id, ballot.PollId, ballot.Option, ballot.CastAt));
        await outbox.SaveChangesAndFlushMessagesAsync();
        return true;
    }

    /// <summary>Until every stored ballot of the poll is counted.</summary>
    private static async Task DrainAsync(NpgsqlDataSource db, Guid pollId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        await using var command = db.CreateCommand($"""
            SELECT (SELECT count(*) FROM {Ballots.Schema}.ballots WHERE poll_id = $1)
                 - (SELECT coalesce(sum(votes), 0)::bigint FROM {Ballots.Schema}.counts WHERE poll_id = $1)
            """);
        command.Parameters.Add(new() { Value = pollId });
        while ((long)(await command.ExecuteScalarAsync())! > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Wolverine's tally did not count every vote within 3 minutes.");
            }
            await Task.Delay(50);
        }
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
}
