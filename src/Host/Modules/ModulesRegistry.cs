using Identity;
using Polls;
using Votes;
using Webhooks;

namespace Host.Modules;

/// <summary>
/// The modules this host runs, listed explicitly (no assembly scanning). Each can be switched off with
/// <c>Modules:&lt;Name&gt;:Enabled=false</c>, for example to run it in a process of its own.
/// </summary>
internal static class ModulesRegistry
{
    private sealed record Module(string Name, Action<IServiceCollection, IConfiguration> Add, Action<IEndpointRouteBuilder> Map);

    private static readonly Module[] All =
    [
        new("Identity", (services, configuration) => services.AddIdentityModule(configuration), routes => routes.MapIdentityEndpoints()),
        new("Polls", (services, configuration) => services.AddPollsModule(configuration), routes => routes.MapPollsEndpoints()),
        new("Votes", (services, configuration) => services.AddVotesModule(configuration), routes => routes.MapVotesEndpoints()),
        new("Webhooks", (services, configuration) => services.AddWebhooksModule(configuration), routes => routes.MapWebhooksEndpoints()),
    ];

    public static IServiceCollection AddModules(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var module in Enabled(configuration))
        {
            module.Add(services, configuration);
        }
        return services;
    }

    public static WebApplication MapModules(this WebApplication app)
    {
        foreach (var module in Enabled(app.Configuration))
        {
            module.Map(app);
        }
        return app;
    }

    private static IEnumerable<Module> Enabled(IConfiguration configuration) =>
        All.Where(module => configuration.GetValue($"Modules:{module.Name}:Enabled", true));
}
