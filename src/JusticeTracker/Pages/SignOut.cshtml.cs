using JusticeTracker.Access;
using JusticeTracker.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages;

/// <summary>Signs out of JusticeTracker, and of Entra ID when that is how the person signed in.</summary>
public sealed class SignOutModel(IConfiguration configuration) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        HttpContext.Action(AuditActions.SignOut);
        if (Identity.UsesEntra(configuration) && !Identity.UsesDevSignIn(configuration))
        {
            return SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" }, CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/signed-out");
    }
}
