using Wolverine;

namespace JusticeTracker.Hosting;

/// <summary>
/// How quickly the nodes notice one another (section <c>Cluster</c>). Wolverine's defaults suit
/// production; a deployment with frequent node churn, or a test that kills a node, may want a
/// dead node's work (its async projections, its durable messages) taken over sooner.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>How often each node writes its heartbeat and the leader checks the others.</summary>
    public TimeSpan? HealthCheckPollingTime { get; set; }

    /// <summary>A node whose heartbeat is older than this is considered gone, and its work is reassigned.</summary>
    public TimeSpan? StaleNodeTimeout { get; set; }

    /// <summary>How often the messages of a gone node are given to the living ones.</summary>
    public TimeSpan? NodeReassignmentPollingTime { get; set; }

    /// <summary>How often the leader checks that every projection runs on exactly one node.</summary>
    public TimeSpan? CheckAssignmentPeriod { get; set; }

    public void ApplyTo(DurabilitySettings durability)
    {
        durability.HealthCheckPollingTime = HealthCheckPollingTime ?? durability.HealthCheckPollingTime;
        durability.StaleNodeTimeout = StaleNodeTimeout ?? durability.StaleNodeTimeout;
        durability.NodeReassignmentPollingTime = NodeReassignmentPollingTime ?? durability.NodeReassignmentPollingTime;
        durability.CheckAssignmentPeriod = CheckAssignmentPeriod ?? durability.CheckAssignmentPeriod;
    }
}
