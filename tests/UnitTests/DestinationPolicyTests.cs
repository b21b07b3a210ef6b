using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Webhooks;
using Webhooks.Delivery;

namespace UnitTests;

public sealed class DestinationPolicyTests
{
    private static DestinationPolicy Policy(bool allowHttp = false, bool allowLoopback = false) =>
        new(Options.Create(new WebhookOptions { AllowHttp = allowHttp, AllowLoopback = allowLoopback }));

    [Theory]
    [InlineData("203.0.114.10")]
    [InlineData("8.8.8.8")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) => Assert.True(Policy().Allows(IPAddress.Parse(address)));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:192.168.0.1")]
    public void Private_loopback_link_local_and_reserved_addresses_are_refused(string address) =>
        Assert.False(Policy().Allows(IPAddress.Parse(address)));

    [Fact]
    public void Loopback_is_allowed_only_where_configuration_says_so_and_private_ranges_never()
    {
        var local = Policy(allowLoopback: true);
        Assert.True(local.Allows(IPAddress.Loopback));
        Assert.True(local.Allows(IPAddress.IPv6Loopback));
        Assert.False(local.Allows(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void One_refused_address_among_those_a_name_resolves_to_refuses_the_name()
    {
        Assert.Null(Policy().RefusalOf([IPAddress.Parse("8.8.8.8")]));
        Assert.NotNull(Policy().RefusalOf([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.1")]));
        Assert.NotNull(Policy().RefusalOf(Array.Empty<IPAddress>()));
    }

    [Theory]
    [InlineData("https://hooks.example.com/in", false, true)]
    [InlineData("http://hooks.example.com/in", false, false)]
    [InlineData("http://hooks.example.com/in", true, true)]
    [InlineData("ftp://hooks.example.com/in", true, false)]
    [InlineData("https://user:secret@hooks.example.com/in", false, false)]
    [InlineData("https://hooks.example.com/in#part", false, false)]
    public void Urls_are_refused_by_scheme_credentials_and_fragment(string url, bool allowHttp, bool allowed) =>
        Assert.Equal(allowed, Policy(allowHttp).RefusalOf(new Uri(url)) is null);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task The_connection_itself_refuses_a_host_that_resolves_to_a_refused_address(string host)
    {
        // A listener that would answer: if the guard let the connection through, the request would not fail.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = Policy(allowHttp: true).ConnectAsync });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://{host}:{port}/"));

        Assert.Contains("Refused to connect", refused.Message);
        Assert.False(listener.Pending());
    }
}
