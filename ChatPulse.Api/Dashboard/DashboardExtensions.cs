using Microsoft.Extensions.FileProviders;

namespace ChatPulse.Api.Dashboard;

public static class DashboardExtensions
{
    /// <summary>The server-rendered pages (Razor Pages under Dashboard/Pages) and the actions behind them.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options => options.RootDirectory = "/Dashboard/Pages");
        builder.Services.AddScoped<StreamerActions>();
        builder.Services.AddSingleton<TestVoteLimiter>();
        return builder;
    }

    /// <summary>Pages (<c>/</c>, <c>/login</c>, <c>/dashboard</c>, <c>/dock</c>, <c>/auth/error</c>), <c>/assets/*</c>, <c>/favicon.ico</c>, <c>/api/dashboard/*</c>.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(DashboardExtensions).Assembly, "ChatPulse.Api.Dashboard.Assets"),
            RequestPath = "/assets",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        // Browsers ask for /favicon.ico on their own (error pages, JSON); pages link /assets/favicon.svg.
        app.MapGet("/favicon.ico", () => TypedResults.Stream(
                typeof(DashboardExtensions).Assembly.GetManifestResourceStream("ChatPulse.Api.Dashboard.Assets.favicon.ico")!, "image/x-icon"))
            .ExcludeFromDescription();
        app.MapRazorPages();
        app.MapDashboardApi();
        app.MapStyleApi();
        return app;
    }
}
