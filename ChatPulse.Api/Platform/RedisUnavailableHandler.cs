using Microsoft.AspNetCore.Diagnostics;
using StackExchange.Redis;

namespace ChatPulse.Api.Platform;

/// <summary>
/// A request that needed Redis while it cannot be reached (a refused or broken connection, a timeout) answers 503 with
/// <c>Retry-After</c>, as problem details, instead of a 500, as <see cref="DatabaseUnavailableHandler"/> does for
/// Postgres. Other Redis errors (a script error) are bugs and are left to the other handlers.
/// </summary>
internal sealed partial class RedisUnavailableHandler(IProblemDetailsService problems, ILogger<RedisUnavailableHandler> logger)
    : IExceptionHandler
{
    public const string Title = "Live data unavailable";

    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return ValueTask.FromResult(false);
        }

        // No stack trace: this is an outage, not a bug.
        LogUnavailable(logger, httpContext.Request.Method, OutageAnswer.EndpointName(httpContext), exception.GetBaseException().Message);
        return OutageAnswer.WriteAsync(problems, httpContext, Title,
            "ChatPulse cannot reach its live data store right now. Please try again in a few seconds.");
    }

    // A connection failure or a timeout, possibly wrapped; a RedisServerException (bad script, wrong type) is not an outage.
    private static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisConnectionException or RedisTimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Endpoint} answered 503: Redis is unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string endpoint, string reason);
}
