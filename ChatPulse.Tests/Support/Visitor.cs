using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ChatPulse.Tests.Support;

/// <summary>
/// A browser without a browser: one cookie jar, one client IP of its own (<see cref="LoopbackClient"/>), redirects
/// followed by hand so a test sees every hop. Talks to the API and to the Twitch stand-in alike.
/// </summary>
public sealed class Visitor : IDisposable
{
    public const string SessionCookie = "chatpulse_session";

    public Visitor(Uri site, CookieContainer? cookies = null)
    {
        Site = site;
        Cookies = cookies ?? new CookieContainer();
        Http = LoopbackClient.Create(site, cookies: Cookies);
    }

    public Uri Site { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public Cookie? Session => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == SessionCookie && !c.Expired);

    /// <summary>Another visitor (new client IP) carrying this one's session cookie, e.g. to another replica.</summary>
    public Visitor WithSessionTo(Uri site)
    {
        var cookies = new CookieContainer();
        if (Session is { } session)
        {
            cookies.Add(site, new Cookie(session.Name, session.Value, "/"));
        }

        return new Visitor(site, cookies);
    }

    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => Http.GetAsync(Resolve(pathOrUrl));

    public Task<HttpResponseMessage> GetAsync(Uri url) => Http.GetAsync(url);

    public Task<HttpResponseMessage> PostFormAsync(Uri url, IEnumerable<KeyValuePair<string, string>> fields) =>
        Http.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>Fetches a page and parses it; asserts the status.</summary>
    public async Task<IHtmlDocument> PageAsync(string pathOrUrl, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await GetAsync(pathOrUrl);
        Assert.Equal(expected, response.StatusCode);
        return await ParseAsync(response);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return document;
    }

    /// <summary>The form's fields as a browser would send them, with <paramref name="changes"/> applied (null removes a field).</summary>
    public static List<KeyValuePair<string, string>> FieldsOf(IHtmlFormElement form, IReadOnlyDictionary<string, string?>? changes = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box when box.IsChecked:
                case IHtmlInputElement { Type: not ("checkbox" or "radio" or "submit") }:
                    var input = (IHtmlInputElement)element;
                    if (input.Name is { Length: > 0 } name)
                    {
                        fields.Add(new(name, input.Value));
                    }

                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 }:
                    fields.Add(new(select.Name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 }:
                    fields.Add(new(area.Name, area.Value));
                    break;
            }
        }

        foreach (var (name, value) in changes ?? new Dictionary<string, string?>())
        {
            fields.RemoveAll(f => f.Key == name);
            if (value is not null)
            {
                fields.Add(new(name, value));
            }
        }

        return fields;
    }

    /// <summary>Where a form posts to, resolved against the page it came from.</summary>
    public static Uri ActionOf(IHtmlFormElement form, Uri page) =>
        new(page, form.GetAttribute("action") is { Length: > 0 } action ? action : page.PathAndQuery);

    public Uri Resolve(string pathOrUrl) => new(Site, pathOrUrl);

    public void Dispose() => Http.Dispose();
}
