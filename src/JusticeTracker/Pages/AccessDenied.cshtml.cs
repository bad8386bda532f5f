using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages;

/// <summary>Where the sign-in cookie sends a person who lacks the role for a page; answered 403.</summary>
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
