using ChatPulse.Tests.Support;
using Microsoft.Playwright;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The dashboard's pages in <see cref="HeadlessChromium"/>: a signed-in visitor's session, and waits on the page.</summary>
internal static class DashboardBrowser
{
    /// <summary>Gives the browser <paramref name="visitor"/>'s session cookie for <paramref name="site"/>.</summary>
    public static Task SignInAsync(HeadlessChromium chromium, Visitor visitor, Uri site) =>
        chromium.Browser.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = Visitor.SessionCookie, Value = visitor.Session!.Value, Url = site.ToString() }]);

    /// <summary>Waits until the script <paramref name="condition"/> holds in the page (a generous timeout).</summary>
    public static async Task WaitForAsync(IPage page, string condition, string what)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }}", null,
                new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = (float)Waits.Short.TotalMilliseconds });
        }
        catch (PlaywrightException e) when (e.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            throw new System.TimeoutException($"Timed out waiting for {what} ({condition}).", e);
        }
    }
}
