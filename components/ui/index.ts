// Pages import each primitive by its file (`@/components/ui/button`): Turbopack keeps every module a barrel
// re-exports, so one import from here put TokenAmount (and viem with it) into every page's first load.
export { Badge, type Tone } from "./badge";
export { Button, type ButtonProps, buttonClass } from "./button";
export { Card, CardBody, CardHeader } from "./card";
export { CopyButton } from "./copy-button";
export { Dialog } from "./dialog";
export { LoadError } from "./load-error";
export { RelativeTime } from "./relative-time";
export { Skeleton } from "./skeleton";
export { SkeletonRows } from "./skeleton-rows";
export { Tip } from "./tip";
export { TokenAmount } from "./token-amount";
