using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Polls.Contracts;
using Shared.Tenancy;
using Votes.Features;

namespace IntegrationTests.Votes;

/// <summary>The published-poll cache's loads, gathered: many misses at once are a few queries, each caller gets its own poll.</summary>
/// <remarks>The class's host is its own (a class fixture), so its load figures count this class's loads only.</remarks>
public sealed class PollReplicaLoadsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string BatchSizes = "poll_replica_load_batch_size";

    [Fact]
    public async Task Many_polls_missed_at_once_are_loaded_in_a_few_queries_and_each_caller_gets_its_own_poll_of_its_own_tenant()
    {
        var tenant = await api.NewTenantAsync();
        var other = await api.NewTenantAsync();
        var polls = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            polls.Add((await tenant.OpenPollAsync()).Id());
        }
        var draft = (await tenant.CreatePollAsync()).Id();
        var othersPoll = (await other.OpenPollAsync()).Id();
        var unknown = Guid.CreateVersion7();
        var placement = new TenantPlacement(tenant.TenantId, await api.Deployment.ShardOfAsync(tenant.TenantId));
        var loads = api.Factory.Services.GetRequiredService<PollReplicaLoads>();
        var (queriesBefore, askedBefore) = await BatchFiguresAsync();

        // Every poll asked for twice, all at once, as readers missing the cache together would.
        var asked = polls.Concat([draft, othersPoll, unknown]).ToList();
        var answers = await Task.WhenAll(asked.Concat(asked).Select(async id => (id, replica: await loads.LoadAsync(placement, id, CancellationToken.None))));

        foreach (var (id, replica) in answers)
        {
            if (id == unknown || id == othersPoll)
            {
                // Another tenant's poll is not there for this tenant, whoever asks.
                Assert.Null(replica);
            }
            else
            {
                Assert.NotNull(replica);
                Assert.Equal(id, replica.PollId);
                Assert.Equal(tenant.TenantId, replica.TenantId);
                Assert.Equal(id == draft ? PollStatus.Draft : PollStatus.Open, replica.Status);
            }
        }
        var (queriesAfter, askedAfter) = await BatchFiguresAsync();
        var queries = queriesAfter - queriesBefore;
        Assert.InRange(queries, 1, asked.Count / 4.0);
        // Each query asks for distinct polls; the second ask of a poll may share its first one's query.
        Assert.InRange(askedAfter - askedBefore, asked.Count, asked.Count * 2.0);
    }

    /// <summary>The loads' queries so far and the polls they asked for, from the host's /metrics.</summary>
    private async Task<(double Queries, double Asked)> BatchFiguresAsync()
    {
        var lines = (await api.Anonymous().GetStringAsync("/metrics")).Split('\n');
        double Figure(string name) => lines.Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return (Figure(BatchSizes + "_count"), Figure(BatchSizes + "_sum"));
    }
}
