namespace IntegrationTests.Fixtures;

/// <summary>Tests that measure a process's own CPU use run in this collection: after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietMachine
{
    public const string Name = "Quiet machine";
}
