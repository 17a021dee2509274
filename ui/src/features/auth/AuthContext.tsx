/** Who is logged in: the bearer token (kept in localStorage) and the username; expired sessions log out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { getToken, onUnauthorized, setToken } from "../../api/client";
import { api } from "../../api/endpoints";

const USER_KEY = "wtw.username";

interface AuthState {
  username: string | null;
  expired: boolean;
  login: (username: string, password: string) => Promise<void>;
  register: (username: string, password: string) => Promise<void>;
  logout: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

function storedUsername(): string | null {
  try {
    return getToken() ? localStorage.getItem(USER_KEY) : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [username, setUsername] = useState<string | null>(storedUsername);
  const [expired, setExpired] = useState(false);

  const forget = useCallback(() => {
    setToken(null);
    try {
      localStorage.removeItem(USER_KEY);
    } catch {
      /* ignore */
    }
    setUsername(null);
    client.clear();
  }, [client]);

  useEffect(
    () =>
      onUnauthorized(() => {
        forget();
        setExpired(true);
      }),
    [forget],
  );

  const login = useCallback(async (name: string, password: string) => {
    const token = await api.login(name, password);
    setToken(token.access_token);
    try {
      localStorage.setItem(USER_KEY, name);
    } catch {
      /* ignore */
    }
    setExpired(false);
    setUsername(name);
  }, []);

  const register = useCallback(
    async (name: string, password: string) => {
      await api.register(name, password);
      await login(name, password);
    },
    [login],
  );

  const value = useMemo(
    () => ({ username, expired, login, register, logout: forget }),
    [username, expired, login, register, forget],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth must be used inside <AuthProvider>");
  return state;
}
