import { ApiError, login, session, type Claims } from "./api";

/** Shows the log-in form in <main> until the official has a token, then hands over the claims. */
export function signIn(main: HTMLElement, title: string): Promise<Claims> {
  const claims = session.claims();
  if (claims) return Promise.resolve(claims);
  main.innerHTML = `
    <form class="card login" id="login" novalidate>
      <h2>${title}</h2>
      <label for="username">Tên đăng nhập</label>
      <input id="username" name="username" autocomplete="username" required>
      <label for="password">Mật khẩu</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <p class="error" id="login-error" role="alert"></p>
      <button type="submit">Đăng nhập</button>
    </form>`;
  const form = main.querySelector<HTMLFormElement>("#login")!;
  form.querySelector<HTMLInputElement>("#username")!.focus();
  return new Promise((resolve) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = form.querySelector("#login-error")!;
      try {
        await login(form.username.value.trim(), form.password.value);
        resolve(session.claims()!);
      } catch (e) {
        error.textContent = e instanceof ApiError && e.status === 401 ? "Sai tên đăng nhập hoặc mật khẩu." : `Không đăng nhập được: ${(e as Error).message}`;
      }
    });
  });
}

export function signOutButton(button: HTMLButtonElement): void {
  button.hidden = false;
  button.addEventListener("click", () => {
    session.clear();
    location.reload();
  });
}
