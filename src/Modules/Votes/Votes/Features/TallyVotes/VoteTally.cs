using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shared.Tenancy;
using Votes.Data;
using Votes.Features.GetPublicResults;

namespace Votes.Features.TallyVotes;

/// <summary>
/// Counts stored votes into their polls' results, on every instance and every shard: at once after this instance
/// stores votes, and every <see cref="TallyOptions.PollMilliseconds"/> for votes stored through other instances or
/// left by one that died. Once a batch's counts have committed, every instance drops its cached results of those polls.
/// </summary>
internal sealed class VoteTally(
    ShardMap shards, TallyQueue queue, HybridCache cache, TallyMetrics metrics, IOptions<TallyOptions> options, TimeProvider clock, ILogger<VoteTally> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? Task.WhenAll(shards.ShardIds.Select(shardId => CountAsync(shardId, stoppingToken))) : Task.CompletedTask;

    private async Task CountAsync(string shardId, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var poll = TimeSpan.FromMilliseconds(settings.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<CountedVote> counted;
                do
                {
                    counted = await queue.CountAsync(shardId, settings.BatchSize, stoppingToken);
                    if (counted.Count > 0)
                    {
                        metrics.Counted(counted, clock.GetUtcNow());
                        await ForgetResultsAsync(counted);
                    }
                }
                while (counted.Count == settings.BatchSize);
                await queue.WaitAsync(shardId, poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Counting votes on shard {Shard} failed; retrying", shardId);
                try
                {
                    await Task.Delay(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Best effort: a failure is logged, and the results' short cache lifetime bounds what it costs.</summary>
    private async Task ForgetResultsAsync(IReadOnlyList<CountedVote> counted)
    {
        foreach (var pollId in counted.Select(v => v.PollId).Distinct())
        {
            try
            {
                await cache.RemoveByTagAsync(PublicResults.TagOf(pollId));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not drop the cached results of poll {Poll}", pollId);
            }
        }
    }
}
