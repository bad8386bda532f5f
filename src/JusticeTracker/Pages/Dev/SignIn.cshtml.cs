using System.Security.Claims;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Demo;
using JusticeTracker.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Dev;

/// <summary>
/// Lets a developer act as a demo user. <see cref="AccessControl.AddAccessControl"/> refuses to
/// start with it outside Development, and the page answers 404 whenever it is switched off.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Security.SignInLimit)]
public sealed class SignInModel(IConfiguration configuration, IWebHostEnvironment environment, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    private bool Enabled => environment.IsDevelopment() && configuration.GetValue<bool>("DevSignIn:Enabled");

    public IActionResult OnGet() => Enabled ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string userId)
    {
        if (!Enabled)
        {
            return NotFound();
        }

        if (DemoDirectory.Find(userId) is not { } user)
        {
            ModelState.AddModelError("userId", "Choose one of the demo users.");
            return Page();
        }

        List<Claim> claims =
        [
            new(AppClaims.ObjectId, user.Id),
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.DisplayName),
            .. user.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())),
        ];
        HttpContext.Actor(user.Id);
        HttpContext.Action(AuditActions.SignIn);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        TempData["Message"] = l["Signed in as {0}.", user.DisplayName].Value;
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
