using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polls.Contracts;
using Polls.Data;
using Polls.Features;
using Polls.Features.ArchivePoll;
using Polls.Features.ChangePollStatus;
using Polls.Features.CloseOnSchedule;
using Polls.Features.CreatePoll;
using Polls.Features.EditPoll;
using Polls.Features.ExportPoll;
using Polls.Features.GetPoll;
using Polls.Features.GetPollResults;
using Polls.Features.ListPolls;
using Shared.Tenancy;
using Shared.Http;
using Shared.Messaging;
using Shared.Problems;
using Shared.RateLimiting;

namespace Polls;

/// <summary>The Polls module's only public surface: polls, their options and their lifecycle.</summary>
public static class PollsModule
{
    public static IServiceCollection AddPollsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<PollsDbContext>(PollsDbContext.Schema);
        services.AddScoped<PollMutation>();
        services.AddProblemCodes(PollProblemCodes.PollNotDraft);
        MessageNames.Name<PollCreated>("polls.poll-created");
        MessageNames.Name<PollUpdated>("polls.poll-updated");
        MessageNames.Name<PollOpened>("polls.poll-opened");
        MessageNames.Name<PollClosed>("polls.poll-closed");
        MessageNames.Name<PollArchived>("polls.poll-archived");
        services.Configure<ScheduledCloseOptions>(configuration.GetSection(ScheduledCloseOptions.Section));
        services.AddScoped<PollCloser>();
        services.AddSingleton<ScheduledClosesWatch>();
        services.AddHostedService(provider => provider.GetRequiredService<ScheduledClosesWatch>());
        return services;
    }

    public static IEndpointRouteBuilder MapPollsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapModuleGroup("/api/polls", "Polls").RequireRateLimiting(RateLimitPolicies.Members);
        CreatePollEndpoint.Map(group);
        ListPollsEndpoint.Map(group);
        GetPollEndpoint.Map(group);
        EditPollEndpoint.Map(group);
        ChangePollStatusEndpoints.Map(group);
        ArchivePollEndpoint.Map(group);
        GetPollResultsEndpoint.Map(group);
        ExportPollEndpoints.Map(group);
        return routes;
    }
}
