namespace IntegrationTests.Fixtures;

/// <summary>
/// For what the API promises to be eventually consistent (tallies, Votes' copy of a poll): poll until the
/// condition holds, failing after a deadline well above the sub-second lag the design promises.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not {what} after {seconds} s; last seen: {value}");
            }
            await Task.Delay(25);
        }
    }
}
