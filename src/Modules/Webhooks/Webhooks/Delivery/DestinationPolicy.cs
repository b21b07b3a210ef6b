using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Webhooks.Delivery;

/// <summary>
/// Where webhooks may go: a guard against server-side request forgery, so that a tenant cannot make the service
/// call into its own network. A URL must be https (http only where configuration allows it) and every address
/// its host resolves to must be public. The same check runs at registration and on every connection, since a
/// name can resolve elsewhere later (DNS rebinding).
/// </summary>
internal sealed class DestinationPolicy(IOptions<WebhookOptions> options)
{
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),          // "this network"
        IPNetwork.Parse("10.0.0.0/8"),         // private
        IPNetwork.Parse("100.64.0.0/10"),      // carrier-grade NAT
        IPNetwork.Parse("169.254.0.0/16"),     // link-local, cloud metadata (169.254.169.254)
        IPNetwork.Parse("172.16.0.0/12"),      // private
        IPNetwork.Parse("192.0.0.0/24"),       // protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),     // private
        IPNetwork.Parse("198.18.0.0/15"),      // benchmarking
        IPNetwork.Parse("224.0.0.0/3"),        // multicast, reserved, broadcast
        IPNetwork.Parse("::/128"),             // unspecified
        IPNetwork.Parse("64:ff9b:1::/48"),     // local-use NAT64
        IPNetwork.Parse("fc00::/7"),           // unique local
        IPNetwork.Parse("fe80::/10"),          // link-local
        IPNetwork.Parse("ff00::/8"),           // multicast
    ];

    /// <summary>Why the URL may not be registered, or null when it may.</summary>
    public string? RefusalOf(Uri url)
    {
        var settings = options.Value;
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && settings.AllowHttp))
        {
            return settings.AllowHttp ? "Must be an http or https URL." : "Must be an https URL.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "Must not carry a user name or password.";
        }
        return url.Fragment.Length > 0 ? "Must not have a fragment." : null;
    }

    /// <summary>Why the addresses a host resolved to may not be called, or null when all of them may.</summary>
    public string? RefusalOf(IReadOnlyCollection<IPAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return "Its host does not resolve to any address.";
        }
        var refused = addresses.FirstOrDefault(a => !Allows(a));
        return refused is null ? null : $"Its host resolves to {refused}, a private, loopback, link-local or reserved address.";
    }

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return options.Value.AllowLoopback;
        }
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            && !NotPublic.Any(network => network.Contains(address));
    }

    /// <summary>Resolves the host (an address literal stands for itself).</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }

    /// <summary>
    /// The connection step of the webhook client: resolves the host itself and connects only to allowed addresses,
    /// so what was checked is what is called.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        if (RefusalOf(addresses) is { } refusal)
        {
            throw new HttpRequestException($"Refused to connect to {context.DnsEndPoint.Host}: {refusal}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
