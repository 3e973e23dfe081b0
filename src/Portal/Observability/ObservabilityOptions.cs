namespace Portal.Observability;

/// <summary>The "Observability" section of configuration.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>Days raw request samples are kept; rollups are kept regardless.</summary>
    public int RawRetentionDays { get; set; } = 30;

    /// <summary>When the retention job (raw samples and server-side TTFT points) runs (cron, UTC).</summary>
    public string RetentionCron { get; set; } = "17 * * * *";

    /// <summary>Silence on a target that marks a cold start as following an idle period.</summary>
    public double IdleGapMinutes { get; set; } = 5;

    /// <summary>
    /// Seconds the TTFT page's figures of one (tenant, model, window, filters) are shared between page loads and open
    /// pages before they are computed again; 0 computes them on every load. The API always computes.
    /// </summary>
    public int SharedReportSeconds { get; set; } = 5;

    /// <summary>
    /// Once the process serves, read once what the Overview and the Observability page read (for one endpoint, as a
    /// read-only system caller), so the first page after a start does not wait for EF Core's query compilation.
    /// </summary>
    public bool WarmUpOnStart { get; set; } = true;

    /// <summary>Cold-start events listed on the TTFT page, newest first.</summary>
    public int ColdStartLimit { get; set; } = 100;

    /// <summary>Minutes between scrapes of the engines' /metrics (Hangfire's resolution is one minute).</summary>
    public int ScrapeIntervalMinutes { get; set; } = 1;

    /// <summary>Sources scraped at once.</summary>
    public int ScrapeConcurrency { get; set; } = 4;

    /// <summary>Longest wait for one /metrics answer.</summary>
    public double ScrapeTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Days of server-side TTFT points kept in the database; older points, and the baselines of sources not scraped for
    /// as long, are deleted by the retention job.
    /// </summary>
    public int ServerTtftRetentionDays { get; set; } = 30;
}
