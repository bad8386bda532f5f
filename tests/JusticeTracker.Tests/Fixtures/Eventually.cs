namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// Waits for a side effect that the app performs as a request unwinds (its audit line, its request
/// log line). The test server can hand back a response that an endpoint completed before the
/// outer middleware has finished, so the test waits for the effect instead of racing it. This is
/// not a timing assertion: it only bounds how long to wait before failing.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 50 && !done(value); i++)
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }

    /// <summary>Polls until the condition holds, and fails with the description if it never does within the bound.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(describe());
            }

            await Task.Delay(250);
        }
    }
}
