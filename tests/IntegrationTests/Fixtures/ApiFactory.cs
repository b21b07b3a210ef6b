using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;

namespace IntegrationTests.Fixtures;

/// <summary>The real Host, in the test process, on its own databases and in a non-Development environment.</summary>
public sealed class ApiFactory(Deployment deployment, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    /// <summary>A fresh key per run; tests that forge tokens sign with it.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public const string OperatorKey = "operator-key-for-tests";

    /// <summary>Test-only header standing in for the TCP peer address, which the in-memory server does not have.</summary>
    public const string PeerAddressHeader = "X-Test-Peer-Address";

    /// <summary>Starts the Host on a real Kestrel listener on a free loopback port, for a client outside the process (a browser, node); returns its address.</summary>
    public string StartOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) ? address : throw new InvalidOperationException($"The Host listens on {address}.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in deployment.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", "10.9.9.9");
        builder.UseSetting("Operator:ApiKey", OperatorKey);
        builder.ConfigureTestServices(collection =>
        {
            collection.AddSingleton<IStartupFilter, PeerAddressFromHeader>();
            services?.Invoke(collection);
        });
    }

    private sealed class PeerAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[PeerAddressHeader], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
