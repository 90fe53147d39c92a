export { Badge, type Tone } from "./badge";
export { Button, type ButtonProps, buttonClass } from "./button";
export { Card, CardBody, CardHeader } from "./card";
export { CopyButton } from "./copy-button";
export { Dialog } from "./dialog";
export { RelativeTime } from "./relative-time";
export { Skeleton } from "./skeleton";
export { Tip } from "./tip";
export { TokenAmount } from "./token-amount";
