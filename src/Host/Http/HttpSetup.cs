using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Host.Logging;
using Serilog;
using Shared.Http;
using Shared.Json;
using Shared.Problems;

namespace Host.Http;

/// <summary>The HTTP conventions every route shares: request ids, security headers, problem+json errors, JSON rules, body limits, proxies, CORS.</summary>
internal static class HttpSetup
{
    public static WebApplicationBuilder AddPlatformHttp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<HttpOptions>(builder.Configuration.GetSection(HttpOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpOptions>>((kestrel, http) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.Value.MaxRequestBodyBytes;
        });

        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        // Binding failures (malformed JSON, wrong types, a missing body) throw, so ApiExceptionHandler words them.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd(ApiProblem.CodeKey, ProblemCodes.ForStatus(status));
            problem.Type ??= ProblemTypes.For(status);
            // The trace id, as in the request's log lines and its trace; the same as X-Request-Id unless the client sent one.
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
            problem.Instance ??= context.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Only the proxies named in configuration may speak for a client's address; the defaults trust loopback.
            // With no proxy named the header is not read at all: the middleware trusts every sender when both lists are empty.
            var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
            options.ForwardedHeaders = proxies.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddCors(options => options.AddPolicy(CorsPolicies.Embeds, policy => AllowEmbeds(policy,
            builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])));
        return builder;
    }

    /// <summary>What an embed on a tenant's page sends and reads: its votes and revalidations, and the headers it acts on.</summary>
    private static void AllowEmbeds(CorsPolicyBuilder policy, string[] origins)
    {
        if (origins.Contains("*"))
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.WithOrigins(origins);
        }
        policy.WithMethods(HttpMethods.Get, HttpMethods.Post)
            .WithHeaders(HeaderNames.ContentType, HeaderNames.IfNoneMatch, "Idempotency-Key", "Last-Event-ID", RequestIdMiddleware.HeaderName)
            .WithExposedHeaders(HeaderNames.ETag, HeaderNames.RetryAfter, RequestIdMiddleware.HeaderName, "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
    }

    public static WebApplication UsePlatformHttp(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = RequestLogLevel.Of;
            // Given, not found per request: without it the middleware makes a new contextual logger for every request.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>(app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.MaxRequestBodyBytes);
        // Without a proxy named there is nothing to read; the middleware would still copy the request's addresses.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders != ForwardedHeaders.None)
        {
            app.UseForwardedHeaders();
        }
        app.UseCors();
        return app;
    }
}
