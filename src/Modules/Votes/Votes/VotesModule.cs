using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Http;
using Shared.Messaging;
using Shared.Problems;
using Shared.RateLimiting;
using Shared.Tenancy;
using Votes.Contracts;
using Votes.Data;
using Votes.Features;
using Votes.Features.CastVote;
using Votes.Features.CountResults;
using Votes.Features.ExportVotes;
using Votes.Features.GetPublicPoll;
using Votes.Features.GetPublicResults;
using Votes.Features.ReplicatePolls;
using Votes.Features.StreamResults;
using Votes.Features.TallyVotes;
using Wolverine;

namespace Votes;

/// <summary>The Votes module's only public surface: the public poll view, casting votes and results.</summary>
public static class VotesModule
{
    public static IServiceCollection AddVotesModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<VotesDbContext>(VotesDbContext.Schema);
        services.AddScoped<PublishedPolls>();
        services.AddProblemCodes(VoteProblemCodes.PollNotOpen, VoteProblemCodes.AlreadyVoted);
        services.AddSingleton<PollReplicaLoads>();
        services.AddScoped<PublicResults>();
        services.AddSingleton<BallotBox>();
        services.AddHostedService(provider => provider.GetRequiredService<BallotBox>());
        services.AddScoped<IPollResults, PollResultsCounter>();
        services.AddScoped<IPollVotes, PollVotesExport>();
        services.AddSingleton<ResultsBroadcaster>();
        services.AddSingleton<LiveResultsMetrics>();
        services.AddHostedService(provider => provider.GetRequiredService<ResultsBroadcaster>());
        services.Configure<TallyOptions>(configuration.GetSection(TallyOptions.Section));
        services.AddSingleton<TallyQueue>();
        services.AddSingleton<TallyMetrics>();
        services.AddHostedService<VoteTally>();
        services.AddHealthChecks().AddCheck<TallyHealthCheck>("tally", tags: [HealthTags.Ready]);
        MessageNames.Name<PollResultsFinal>("votes.poll-results-final");
        services.AddScoped<PollReplicaProjection>();
        services.ConfigureWolverine(options => options.Discovery.IncludeType(typeof(ReplicatePollsHandler)));
        return services;
    }

    public static IEndpointRouteBuilder MapVotesEndpoints(this IEndpointRouteBuilder routes)
    {
        // Every Votes route is public and names a poll: the poll's tenant is the one the request acts for, and a
        // tenant's own site may call it (CORS).
        var group = routes.MapModuleGroup("/api/public/polls", "Votes").ResolvesTenantFromPublicId("pollId")
            .RequireRateLimiting(RateLimitPolicies.Public).RequireCors(CorsPolicies.Embeds);
        GetPublicPollEndpoint.Map(group);
        CastVoteEndpoint.Map(group);
        GetPublicResultsEndpoint.Map(group);
        StreamResultsEndpoint.Map(group);
        return routes;
    }
}
