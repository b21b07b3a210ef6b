namespace IntegrationTests.Fixtures;

/// <summary>
/// Tests that measure a process's own CPU use, or latencies in milliseconds, run in this collection: after the
/// others, one at a time. On two cores the rest of the suite running alongside adds tens of milliseconds to any
/// request now and then, which is the machine's and not what these measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietMachine
{
    public const string Name = "Quiet machine";
}
