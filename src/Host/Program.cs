using Host;
using Host.Configuration;
using Host.Http;
using Host.Modules;
using Host.Operations;
using Identity;
using JasperFx;
using Microsoft.Extensions.Options;
using Shared.Caching;
using Shared.Idempotency;
using Shared.Messaging;
using Shared.RateLimiting;
using Shared.Tenancy;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPlatformDefaults();
    var shards = builder.Services.AddTenancy(builder.Configuration);
    builder.UsePlatformMessaging(shards, typeof(Program).Assembly);
    builder.Services.AddPlatformCaching(builder.Configuration);
    builder.Services.AddIdempotency();
    builder.Services.AddPlatformRateLimiting(builder.Configuration);
    builder.Services.AddModules(builder.Configuration);

    var app = builder.Build();
    // Only `Host codegen ...` (scripts/handler-code.sh) goes through JasperFx's command line: with a URL among its
    // arguments it reports a failed start as success.
    if (args is ["codegen", ..])
    {
        return await app.RunJasperFxCommands(args);
    }
    app.UsePlatformHttp();
    app.UseIdentityAuthentication();
    app.UseMiddleware<TenantResolution>();
    app.UseAuthorization();
    app.UsePlatformRateLimiting();
    app.UseMiddleware<IdempotencyMiddleware>();
    app.MapModules();
    app.MapOperations();
    app.MapPlatformDefaults();

    // Settings are checked before anything starts, so that a bad one stops the Host with its own words (below).
    app.Services.GetService<IStartupValidator>()?.Validate();
    // Every instance migrates at start-up (serialised by an advisory lock; Wolverine builds its own tables as it starts);
    // `Host migrate` does both and exits.
    await app.Services.MigrateModulesAsync();
    if (args.Contains("migrate"))
    {
        await app.Services.MigrateMessageStorageAsync();
        return 0;
    }
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (SettingsFailure.Describe(e) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    return SettingsFailure.ExitCode;
}

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
