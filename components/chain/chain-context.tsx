"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";
import { type ChainContext, type TokenBook, tokenBook } from "@/lib/format/tokens";

interface ChainContextValue {
  context: ChainContext;
  tokens: TokenBook;
}

const Context = createContext<ChainContextValue | null>(null);

const EMPTY: ChainContext = {
  chainId: 0,
  explorerUrl: null,
  asset: { address: "0x", symbol: "", decimals: 0 },
  tokens: [],
  vaults: [],
};

/** Provides the deployment's tokens and vault names to every intent view below it. */
export function ChainContextProvider({ value, children }: { value: ChainContext | null; children: ReactNode }) {
  const memo = useMemo(() => {
    const context = value ?? EMPTY;
    return { context, tokens: tokenBook(context) };
  }, [value]);
  return <Context.Provider value={memo}>{children}</Context.Provider>;
}

export function useChainContext(): ChainContextValue {
  const value = useContext(Context);
  if (!value) throw new Error("useChainContext outside ChainContextProvider");
  return value;
}
