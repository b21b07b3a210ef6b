using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bench;

/// <summary>
/// A lean load generator for GET routes: keep-alive HTTP/1.1 connections, each sending one pre-encoded request at a
/// time (the URLs given, in turn) and reading only as much of the answer as it takes to know where it ends (status
/// line, Content-Length, body). Per request it costs the shared CPU a fraction of what HttpClient does, so on a 2-core machine more of the
/// machine is left to the server being measured, for the route and its baseline alike.
/// </summary>
internal static class RawHttp
{
    /// <summary>Every connection sends its next request as soon as the last one is answered.</summary>
    public static async Task<LoadResult> ClosedLoopAsync(string name, IReadOnlyList<Uri> urls, int connections, TimeSpan duration)
    {
        var clients = await ConnectAsync(urls, connections);
        var latencies = new List<double>[connections];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            var mine = latencies[index] = new List<double>(1 << 16);
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                if (await client.GetAsync() == 200)
                {
                    mine.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        Close(clients);
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadResult(name, all.Length, failed, elapsed, all);
    }

    /// <summary>
    /// Requests fall due on a fixed schedule (<paramref name="rate"/> a second) whatever the answers do; whichever
    /// connection is free takes the next one. A request that had to wait for a free connection counts from its due
    /// time, so a stall that holds up later requests shows in the percentiles (no coordinated omission).
    /// </summary>
    public static async Task<LoadResult> OpenLoopAsync(string name, IReadOnlyList<Uri> urls, double rate, TimeSpan duration, int connections)
    {
        var clients = await ConnectAsync(urls, connections);
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var ok = new bool[total];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async client =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < total)
            {
                var due = TimeSpan.FromSeconds(index / rate);
                var claimed = clock.Elapsed;
                // Timers fire at about millisecond granularity: a request due sooner than that goes now.
                if (due - claimed > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(due - claimed);
                }
                var sent = clock.Elapsed;
                ok[index] = await client.GetAsync() == 200;
                // A request that fell due while every connection was still waiting for the server counts from its due
                // time: that wait is the server's. One taken by a free connection ahead of time counts from its send,
                // as the timer's lateness in waking it is the generator's own.
                latencies[index] = (clock.Elapsed - (claimed > due ? due : sent)).TotalMilliseconds;
            }
        }));
        var elapsed = clock.Elapsed;
        Close(clients);
        var succeeded = Enumerable.Range(0, total).Where(i => ok[i]).ToArray();
        return new LoadResult(name, succeeded.Length, total - succeeded.Length, elapsed, succeeded.Select(i => latencies[i]).ToArray());
    }

    /// <summary>Connections to the URLs' server (they share one), all taking the URLs in one common turn.</summary>
    private static async Task<Connection[]> ConnectAsync(IReadOnlyList<Uri> urls, int count)
    {
        var requests = urls.Select(url => Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAccept: application/json\r\n\r\n")).ToArray();
        var endpoint = new IPEndPoint(IPAddress.Parse(urls[0].Host), urls[0].Port);
        var turn = new Turn(requests);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Connection.OpenAsync(endpoint, turn)));
    }

    /// <summary>The requests to send, handed out in turn across connections.</summary>
    private sealed class Turn(byte[][] requests)
    {
        private int _next = -1;

        public byte[] Next() => requests[(int)((uint)Interlocked.Increment(ref _next) % (uint)requests.Length)];
    }

    private static void Close(Connection[] clients)
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>One keep-alive connection with one request in flight at a time.</summary>
    private sealed class Connection(Socket socket, Turn turn) : IDisposable
    {
        private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
        private static readonly byte[] ContentLength = "\r\ncontent-length:"u8.ToArray();
        private readonly byte[] _buffer = new byte[64 * 1024];

        public static async Task<Connection> OpenAsync(IPEndPoint endpoint, Turn turn)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint);
            return new Connection(socket, turn);
        }

        /// <summary>Sends the next request and reads the whole answer; returns its status code, or 0 if the connection failed.</summary>
        public async Task<int> GetAsync()
        {
            try
            {
                await socket.SendAsync(turn.Next(), SocketFlags.None);
                var received = 0;
                int headerEnd;
                while ((headerEnd = _buffer.AsSpan(0, received).IndexOf(HeaderEnd)) < 0)
                {
                    received += await ReceiveAsync(received);
                }
                var head = _buffer.AsSpan(0, headerEnd);
                var status = int.Parse(head.Slice(9, 3));
                var total = headerEnd + HeaderEnd.Length + BodyLength(head);
                if (total > _buffer.Length)
                {
                    throw new SocketException((int)SocketError.MessageSize);
                }
                while (received < total)
                {
                    received += await ReceiveAsync(received);
                }
                return status;
            }
            catch (SocketException)
            {
                return 0;
            }
        }

        public void Dispose() => socket.Dispose();

        private async Task<int> ReceiveAsync(int offset)
        {
            var read = await socket.ReceiveAsync(_buffer.AsMemory(offset), SocketFlags.None);
            return read > 0 ? read : throw new SocketException((int)SocketError.ConnectionReset);
        }

        private static int BodyLength(ReadOnlySpan<byte> head)
        {
            Span<byte> lower = stackalloc byte[head.Length];
            Ascii.ToLower(head, lower, out _);
            var at = lower.IndexOf(ContentLength);
            if (at < 0)
            {
                // The routes measured here answer with a length; anything else is not a response this reader knows.
                throw new SocketException((int)SocketError.ProtocolNotSupported);
            }
            var value = lower[(at + ContentLength.Length)..];
            var end = value.IndexOf((byte)'\r');
            return int.Parse(value[..(end < 0 ? value.Length : end)].Trim((byte)' '));
        }
    }
}
