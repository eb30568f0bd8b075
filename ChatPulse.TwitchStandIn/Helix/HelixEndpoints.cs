namespace ChatPulse.TwitchStandIn.Helix;

public static class HelixEndpoints
{
    /// <summary>Helix under <c>/helix</c>; every call passes <see cref="HelixGate"/> (auth, rate-limit headers, faults).</summary>
    public static IEndpointRouteBuilder MapHelix(this IEndpointRouteBuilder app)
    {
        var helix = app.MapGroup("/helix").AddEndpointFilter<HelixGate>();
        helix.MapUsers();
        helix.MapConduits();
        helix.MapSubscriptions();
        return app;
    }
}
