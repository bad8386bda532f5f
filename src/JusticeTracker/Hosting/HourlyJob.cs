namespace JusticeTracker.Hosting;

/// <summary>
/// Work every node does once an hour (the follow-up sweep, the day's data-quality snapshot). A
/// failure is logged, never thrown: the host keeps running and the next hour tries again.
/// </summary>
public abstract partial class HourlyJob(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hourly job {Job} failed; it will be tried again in an hour")]
    private static partial void Failed(ILogger logger, string job, Exception exception);

    protected abstract Task RunAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, GetType().Name, ex);
            }
        }
    }
}
