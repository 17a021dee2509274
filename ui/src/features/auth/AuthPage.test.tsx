import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { AuthPage } from "./AuthPage";
import { fakeApi, jsonError, renderAt } from "../../test/render";

const routes = (
  <Routes>
    <Route path="/login" element={<AuthPage mode="login" />} />
    <Route path="/register" element={<AuthPage mode="register" />} />
    <Route path="/welcome" element={<p>onboarding</p>} />
    <Route path="/" element={<p>home</p>} />
  </Routes>
);

describe("AuthPage", () => {
  it("registers, logs in and goes to onboarding", async () => {
    const { calls } = fakeApi({
      "POST /auth/register": () => ({ id: 1, username: "ada" }),
      "POST /auth/token": () => ({ access_token: "tok", token_type: "bearer" }),
    });
    renderAt(routes, "/register");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "ada");
    await user.type(screen.getByLabelText(/Password/), "correct horse");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText("onboarding")).toBeInTheDocument();
    expect(calls[0].body).toEqual({ username: "ada", password: "correct horse" });
    expect(calls[1].body).toEqual({ username: "ada", password: "correct horse" });
    expect(localStorage.getItem("wtw.token")).toBe("tok");
  });

  it("says when the password is wrong", async () => {
    fakeApi({ "POST /auth/token": () => jsonError(401, "Incorrect username or password") });
    renderAt(routes, "/login");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "ada");
    await user.type(screen.getByLabelText(/Password/), "nope nope");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
  });

  it("shows field errors from validation", async () => {
    fakeApi({
      "POST /auth/register": () => jsonError(422, [{ loc: ["body", "password"], msg: "String should have at least 8 characters" }]),
    });
    renderAt(routes, "/register");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "ada");
    await user.type(screen.getByLabelText(/Password/), "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(screen.getByText("String should have at least 8 characters", { selector: ".field-error" })).toBeInTheDocument());
  });

  it("explains the username rule instead of showing the service's pattern", async () => {
    fakeApi({
      "POST /auth/register": () => jsonError(422, [{ loc: ["body", "username"], msg: "String should match pattern '^[A-Za-z0-9_.@+-]+$'" }]),
    });
    renderAt(routes, "/register");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "ada lovelace");
    await user.type(screen.getByLabelText(/Password/), "long enough");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const message = await screen.findByText(/^Use only letters, digits/, { selector: ".field-error" });
    expect(message).toHaveTextContent("Use only letters, digits and _ . @ + - (no spaces), at least 3.");
    expect(screen.queryByText(/pattern/)).not.toBeInTheDocument();
  });
});
