using Portal.Core.Deployments.Reconciling;

namespace Portal.Deployments;

/// <summary>Section <c>Runtimes</c>: how the reconciler paces its work on the runtime.</summary>
public sealed class ReconcileOptions
{
    public const string SectionName = "Runtimes";

    /// <summary>
    /// Replicas one reconcile pass starts at most (per deployment); the rest start on the next passes, so a large
    /// scale-out does not launch every engine (and pull every set of weights) at the same moment.
    /// </summary>
    public int MaxStartsPerPass { get; set; } = ReconcilePlan.DefaultMaxStartsPerPass;
}
