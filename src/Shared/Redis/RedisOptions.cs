using System.Globalization;

namespace Shared.Redis;

/// <summary>
/// Where Redis is and how patient to be with it, from a connection string such as
/// <c>127.0.0.1:6379,password=secret,user=app,database=2,timeout=1000,connectTimeout=2000</c>.
/// </summary>
public sealed record RedisOptions(string Host, int Port, string? User, string? Password, int Database, TimeSpan CommandTimeout, TimeSpan ConnectTimeout)
{
    public static RedisOptions Parse(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("The Redis connection string is empty.");
        }
        var endpoint = parts[0].Split(':');
        var options = new RedisOptions(endpoint[0], endpoint.Length > 1 ? int.Parse(endpoint[1], CultureInfo.InvariantCulture) : 6379,
            null, null, 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        foreach (var part in parts.Skip(1))
        {
            var (name, value) = part.IndexOf('=') is var at and > 0 ? (part[..at].ToLowerInvariant(), part[(at + 1)..]) : throw new FormatException($"'{part}' is not name=value.");
            options = name switch
            {
                "password" => options with { Password = value },
                "user" => options with { User = value },
                "database" => options with { Database = int.Parse(value, CultureInfo.InvariantCulture) },
                "timeout" => options with { CommandTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "connecttimeout" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new FormatException($"Unknown Redis setting '{name}'."),
            };
        }
        return options;
    }
}
