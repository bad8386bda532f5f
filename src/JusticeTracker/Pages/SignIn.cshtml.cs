using JusticeTracker.Access;
using JusticeTracker.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace JusticeTracker.Pages;

/// <summary>Our own sign-in entry (Microsoft.Identity.Web.UI is not used): it hands over to Entra ID.</summary>
[AllowAnonymous]
[EnableRateLimiting(Security.SignInLimit)]
public sealed class SignInModel(IConfiguration configuration) : PageModel
{
    public IActionResult OnGet(string? returnUrl)
    {
        var target = Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
        return Identity.UsesEntra(configuration)
            ? Challenge(new AuthenticationProperties { RedirectUri = target }, OpenIdConnectDefaults.AuthenticationScheme)
            : Redirect($"/dev/sign-in?returnUrl={Uri.EscapeDataString(target!)}");
    }
}
