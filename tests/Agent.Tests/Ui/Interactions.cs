using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Consul.Tests.Ui;

/// <summary>
/// Clicks and typing that wait for the handler to finish: MudBlazor's handlers are async, so a
/// plain Click() can return before the page has re-rendered.
/// </summary>
public static class Interactions
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static void ClickOn(this IElement element) =>
        Assert.True(element.ClickAsync(new MouseEventArgs()).Wait(Limit), "click handler did not finish");

    /// <summary>
    /// Clicks the element the selector finds. A live page may re-render between finding and
    /// clicking (retiring the handler); then it finds the element again and retries.
    /// </summary>
    public static void ClickOn<T>(this IRenderedComponent<T> cut, string selector) where T : IComponent
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            try
            {
                cut.Find(selector).ClickOn();
                return;
            }
            catch (Exception e) when (IsStaleHandler(e) && DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private static bool IsStaleHandler(Exception e) =>
        (e is AggregateException a ? a.InnerException : e) is Bunit.Rendering.UnknownEventHandlerIdException;

    public static void Type<T>(this IRenderedComponent<T> cut, string selector, string text) where T : IComponent =>
        Assert.True(cut.Find(selector).InputAsync(new ChangeEventArgs { Value = text }).Wait(Limit), "input handler did not finish");
}
