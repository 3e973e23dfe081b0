namespace Portal.Core.Deployments.Reconciling;

/// <summary>
/// One step the reconciler's host performs, in order. A slot is the index of a replica in the plan's input; replicas
/// the plan creates take the next slots.
/// </summary>
public abstract record ReconcileAction;

/// <summary>A new replica row, Pending, created now.</summary>
public sealed record CreateReplica(int Slot, string Region, bool IsBurst) : ReconcileAction;

/// <summary>The replica row takes a replica the runtime already runs (adoption after a portal restart).</summary>
public sealed record AttachRunning(int Slot, string RuntimeId) : ReconcileAction;

/// <summary>The replica moves to a phase; its timeline records the change with the detail.</summary>
public sealed record ChangePhase(int Slot, ReplicaPhase Phase, string? Detail) : ReconcileAction;

/// <summary>An event on the deployment's timeline, about one replica or (no slot) the whole deployment.</summary>
public sealed record RecordEvent(int? Slot, string Kind, string Message) : ReconcileAction;

/// <summary>The replica's process died or failed: its restart count goes up and it forgets the runtime id.</summary>
public sealed record ForgetProcess(int Slot, bool ClearReadyAt) : ReconcileAction;

/// <summary>Stop the replica's process in the runtime; the row stays for a replacement.</summary>
public sealed record StopProcess(int Slot) : ReconcileAction;

/// <summary>Launch the replica (saved as Starting first, so a launch cut short is adopted, not repeated).</summary>
public sealed record StartReplica(int Slot) : ReconcileAction;

/// <summary>Send the pre-warm request; the replica becomes Ready only once it is answered.</summary>
public sealed record Prewarm(int Slot) : ReconcileAction;

/// <summary>Stop the replica's process, if any, and mark the row Stopped.</summary>
public sealed record StopReplica(int Slot) : ReconcileAction;

/// <summary>Desired replicas drop to what can be placed (no burst capacity in an allowed region).</summary>
public sealed record LowerDesiredReplicas(int Replicas) : ReconcileAction;

/// <summary>The deployment is deleted and scaled to zero: remove everything the runtime created for it.</summary>
public sealed record RemoveFromRuntime : ReconcileAction;
