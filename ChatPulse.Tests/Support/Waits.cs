namespace ChatPulse.Tests.Support;

/// <summary>Every wait in the tests has a timeout; these are the standard ones.</summary>
public static class Waits
{
    /// <summary>Starting the whole AppHost (Postgres initdb, Redis, the API build is already done).</summary>
    public static readonly TimeSpan AppStart = TimeSpan.FromSeconds(120);

    /// <summary>One HTTP call or one observable effect.</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(15);

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
