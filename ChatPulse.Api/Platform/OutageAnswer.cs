using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;

namespace ChatPulse.Api.Platform;

/// <summary>
/// The 503 a request gets when a dependency it needed is unreachable (<see cref="DatabaseUnavailableHandler"/>,
/// <see cref="RedisUnavailableHandler"/>): problem details (or the HTML page for browsers) with <c>Retry-After</c>.
/// </summary>
internal static class OutageAnswer
{
    /// <summary>A Postgres or Redis restart or failover takes seconds; clients come back after this.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The endpoint's name for the log, not the path: overlay paths carry a secret id.</summary>
    public static string EndpointName(HttpContext httpContext) =>
        httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.DisplayName ?? "no endpoint";

    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, string title, string detail)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = title, Detail = detail },
        });
    }
}
