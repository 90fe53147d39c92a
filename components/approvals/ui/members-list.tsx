import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import type { Authorization } from "@/lib/defix/authorization";

/** The quorum's members: who signed and when, who has not yet; `me` is marked "you". */
export function MembersList({ authorization, me }: { authorization: Authorization; me: string | null }) {
  const self = me?.toLowerCase() ?? null;
  return (
    <ul className="space-y-1 text-sm" aria-label="Quorum members">
      {authorization.members.map((member) => (
        <li
          key={member.address}
          className="flex flex-wrap items-center gap-2"
          data-member={member.address}
          data-signed={member.signed_at !== null}
        >
          <span aria-hidden="true">{member.signed_at ? "✓" : "○"}</span>
          <ShortHex value={member.address} />
          <span className="text-xs text-zinc-600">{member.type === "manager" ? "manager" : "named address"}</span>
          {member.address === self ? <span className="text-xs font-semibold">(you)</span> : null}
          <span className="text-xs text-zinc-600">
            {member.signed_at ? (
              <>
                signed <RelativeTime iso={member.signed_at} />
              </>
            ) : (
              "not signed"
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
