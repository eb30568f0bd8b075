namespace ChatPulse.Api.Polls;

public static class PollsExtensions
{
    /// <summary>Polls: the store, the Redis state, the actions behind the API and the cluster's one ticker that ends them.</summary>
    public static IHostApplicationBuilder AddPolls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PollStore>();
        builder.Services.AddSingleton<PollState>();
        builder.Services.AddSingleton<PollActions>();
        builder.Services.AddHostedService<PollTicker>();
        return builder;
    }
}
