using Microsoft.Playwright;
using Portal.Browser.Tests.Support;

namespace Portal.Browser.Tests.Pages;

/// <summary>
/// A page as a 390 × 844 phone shows it: whether it scrolls sideways, whether its heading, text and buttons stay on the
/// screen, whether the app bar's items fit its height and whether chart labels are big enough to read.
/// </summary>
public sealed class PhoneScreen(IPage page)
{
    public const int Width = 390;
    public const int Height = 844;

    // Text, controls and pictures that end outside the screen, unless one of the sideways scrollers meant for wide
    // content holds them (a table, a code block, a chart): the rest either widen the page or are cut off where nobody
    // looks for them. Layout boxes are left out: a grid's gutters may reach past the edge while its content does not.
    private const string OffScreenScript = """
        () => {
            const width = window.innerWidth;
            const inScroller = el => el.closest('.mud-table-container, .code-block, .chart-frame') !== null;
            const isContent = el => el.matches('button, a, input, select, textarea, img, svg, canvas, table, pre')
                || [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
            const name = el => el.tagName.toLowerCase() + [...el.classList].slice(0, 3).map(c => '.' + c).join('')
                + (el.dataset.testid ? `[${el.dataset.testid}]` : '');
            const found = [];
            for (const el of document.querySelectorAll('.mud-main-content *, header *, .mud-dialog *, .mud-popover-open *')) {
                if (!isContent(el) || inScroller(el)) continue;
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
                if (r.right > width + 1 || r.left < -1) {
                    found.push(`${name(el)} ${Math.round(r.left)}–${Math.round(r.right)} "${(el.innerText || '').slice(0, 30).replace(/\s+/g, ' ')}"`);
                }
            }
            return found.slice(0, 6);
        }
        """;

    // App-bar items taller than the bar (a label that wrapped) and chart labels drawn too small to read.
    private const string CrampedScript = """
        () => {
            const found = [];
            for (const el of document.querySelectorAll('header .mud-toolbar > *')) {
                if (el.getBoundingClientRect().height > el.parentElement.clientHeight + 1) {
                    found.push(`app bar item "${el.innerText.replace(/\s+/g, ' ')}" does not fit the bar's height`);
                }
            }
            for (const el of document.querySelectorAll('.mud-main-content svg text')) {
                const h = el.getBoundingClientRect().height;
                if (h > 0 && h < 8) {
                    found.push(`chart label "${el.textContent}" is ${h.toFixed(1)} px high`);
                    break;
                }
            }
            return found;
        }
        """;

    /// <summary>Everything wrong with the page as shown now, each line starting with <paramref name="name"/>.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(string name, bool overlay = false)
    {
        var problems = new List<string>();
        var heading = new ShellPage(page).Heading;
        await Assertions.Expect(heading).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // A full-page screenshot stretches the viewport, which would stretch an overlay with it.
        await BrowserFixture.ScreenshotAsync(page, "phone-" + name, fullPage: !overlay);

        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        if (scrollWidth > Width + 1)
        {
            problems.Add($"{name}: the page is {scrollWidth} px wide on a {Width} px screen.");
        }

        var headingBox = await heading.BoundingBoxAsync();
        if (headingBox is null || headingBox.X < 0 || headingBox.X + headingBox.Width > Width + 1)
        {
            problems.Add($"{name}: the heading is not within the screen ({headingBox?.X}–{headingBox?.X + headingBox?.Width}).");
        }

        foreach (var element in await page.EvaluateAsync<string[]>(OffScreenScript))
        {
            problems.Add($"{name}: off screen: {element}");
        }

        foreach (var element in await page.EvaluateAsync<string[]>(CrampedScript))
        {
            problems.Add($"{name}: {element}");
        }

        return problems;
    }
}
