namespace ChatPulse.Api.Twitch.EventSub;

/// <summary>Wakes the EventSub maintenance loop early, e.g. after a revocation or a failed subscribe at login.</summary>
public sealed class ReconcileTrigger
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Request() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits <paramref name="delay"/> or until <see cref="Request"/> is called, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(delay, time, stop.Token), signal.Task);
        await stop.CancelAsync();
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
