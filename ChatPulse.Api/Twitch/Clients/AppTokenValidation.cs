namespace ChatPulse.Api.Twitch.Clients;

/// <summary>Twitch's rule for kept tokens: validate the app token at start-up and hourly after.</summary>
public sealed class AppTokenValidation(AppTokenProvider tokens, TimeProvider time, ILogger<AppTokenValidation> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await tokens.ValidateAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Validating the Twitch app token failed; trying again in {Interval}", Interval);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }
}
