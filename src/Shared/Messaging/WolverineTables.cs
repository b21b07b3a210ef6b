namespace Shared.Messaging;

/// <summary>Wolverine's tables on each shard that we read ourselves (operator views, the backlog, tenant moves), named once.</summary>
internal static class WolverineTables
{
    public const string DeadLetters = $"{WolverineSetup.Schema}.wolverine_dead_letters";

    /// <summary>The messages stored and not yet handled (waiting, or due for a retry), as a FROM ... WHERE clause.</summary>
    public const string Waiting = $"{WolverineSetup.Schema}.wolverine_incoming_envelopes WHERE status <> 'Handled'";
}
