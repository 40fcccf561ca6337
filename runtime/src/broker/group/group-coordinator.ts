/**
 * The classic consumer-group coordinator for a single node, following Kafka's
 * GroupCoordinator.scala. States: Empty -> PreparingRebalance -> CompletingRebalance -> Stable.
 *
 *   join(memberId "")      v4+: remember a pending id, answer MEMBER_ID_REQUIRED with it
 *   join(known member)     hold the answer; the join completes when every member has rejoined
 *                          and no pending member is outstanding, or when the rebalance timeout
 *                          (largest among members) fires and drops the members that did not rejoin
 *   complete join          generation+1, vote a protocol, keep or pick a leader, state
 *                          CompletingRebalance; only the leader receives the member list
 *   sync                   followers wait for the leader; the leader's assignments make it Stable
 *   heartbeat              resets the session timer; REBALANCE_IN_PROGRESS while preparing
 *   session expiry/leave   remove the member and rebalance; the last one leaving makes the group
 *                          Empty with generation+1
 *
 * Timers use setTimeout so tests can drive them with fake timers. Held answers are callbacks.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.js';
import type { DescribedGroup, JoinGroupRequest, JoinGroupResponse, SyncGroupRequest } from '../protocol/group-apis.js';
import type { OffsetCommitRequest, OffsetFetchRequest, OffsetFetchResponse, PartitionErrors } from '../protocol/offset-apis.js';
import type { OffsetStore } from './offset-store.js';

/** Group states as Kafka names them (DescribeGroups reports these strings). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Coordinator settings (Kafka's group.* broker configs). */
export interface CoordinatorConfig {
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms; Kafka defaults to 3000, this broker to 0. */
  readonly initialRebalanceDelayMs: number;
}

/** Defaults: Kafka's session bounds and no initial delay (so lessons start fast). */
export const DEFAULT_COORDINATOR_CONFIG: CoordinatorConfig = {
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 0,
};

type SyncAnswer = { errorCode: number; assignment: Buffer };

interface Member {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: ReadonlyArray<{ name: string; metadata: Buffer }>;
  assignment: Buffer;
  awaitingJoin?: (res: JoinGroupResponse) => void;
  awaitingSync?: (res: SyncAnswer) => void;
  sessionTimer?: ReturnType<typeof setTimeout>;
}

interface Group {
  readonly groupId: string;
  state: GroupState;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  readonly members: Map<string, Member>;
  readonly pending: Map<string, ReturnType<typeof setTimeout>>;
  rebalanceTimer?: ReturnType<typeof setTimeout>;
  syncTimer?: ReturnType<typeof setTimeout>;
}

/** Who sent a request, for member ids and DescribeGroups. */
export interface ClientInfo {
  readonly clientId: string;
  readonly clientHost: string;
}

/** Answers the group and offset APIs. */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly offsets: OffsetStore,
    private readonly partitionExists: (topic: string, partition: number) => boolean,
    private readonly config: CoordinatorConfig = DEFAULT_COORDINATOR_CONFIG,
    private readonly now: () => number = Date.now,
  ) {}

  private group(groupId: string, create: boolean): Group | undefined {
    let g = this.groups.get(groupId);
    if (!g && create) {
      g = {
        groupId,
        state: 'Empty',
        generationId: 0,
        protocolType: null,
        protocolName: null,
        leaderId: null,
        members: new Map(),
        pending: new Map(),
      };
      this.groups.set(groupId, g);
    }
    return g;
  }

  /** Handles JoinGroup; `respond` may be called later (the join is held). */
  join(req: JoinGroupRequest, version: number, client: ClientInfo, respond: (res: JoinGroupResponse) => void): void {
    const fail = (errorCode: number, memberId = req.memberId): void =>
      respond({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    if (!req.groupId) return fail(ErrorCode.INVALID_GROUP_ID);
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.config;
    if (req.sessionTimeoutMs < minSessionTimeoutMs || req.sessionTimeoutMs > maxSessionTimeoutMs) {
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    const group = this.group(req.groupId, req.memberId === '');
    if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (!this.protocolsCompatible(group, req)) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

    if (req.memberId === '') {
      const memberId = `${client.clientId}-${randomUUID()}`;
      if (version >= 4) {
        // KIP-394: the member must come back with this id; forget it after a session timeout.
        const timer = setTimeout(() => {
          group.pending.delete(memberId);
          if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
        }, req.sessionTimeoutMs);
        group.pending.set(memberId, timer);
        return fail(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      this.addMemberAndRebalance(group, memberId, req, client, respond);
      return;
    }

    const pendingTimer = group.pending.get(req.memberId);
    if (pendingTimer) {
      clearTimeout(pendingTimer);
      group.pending.delete(req.memberId);
      this.addMemberAndRebalance(group, req.memberId, req, client, respond);
      return;
    }
    const member = group.members.get(req.memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMember(member, req, respond);
        this.tryCompleteJoin(group);
        return;
      case 'CompletingRebalance':
        if (this.sameProtocols(member, req)) {
          respond(this.joinAnswer(group, member));
          return;
        }
        this.updateMember(member, req, respond);
        this.prepareRebalance(group);
        return;
      case 'Stable':
        if (member.memberId === group.leaderId || !this.sameProtocols(member, req)) {
          this.updateMember(member, req, respond);
          this.prepareRebalance(group);
        } else {
          respond(this.joinAnswer(group, member));
        }
        return;
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  private protocolsCompatible(group: Group, req: JoinGroupRequest): boolean {
    if (!req.protocolType || req.protocols.length === 0) return false;
    if (group.members.size === 0) return true;
    if (group.protocolType !== req.protocolType) return false;
    const names = new Set(req.protocols.map((p) => p.name));
    return this.candidateProtocols(group).some((p) => names.has(p));
  }

  /** Protocols every current member supports. */
  private candidateProtocols(group: Group): string[] {
    const members = [...group.members.values()];
    if (members.length === 0) return [];
    return members[0].protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
  }

  private sameProtocols(member: Member, req: JoinGroupRequest): boolean {
    return (
      member.protocols.length === req.protocols.length &&
      member.protocols.every((p, i) => p.name === req.protocols[i].name && p.metadata.equals(req.protocols[i].metadata))
    );
  }

  private addMemberAndRebalance(
    group: Group,
    memberId: string,
    req: JoinGroupRequest,
    client: ClientInfo,
    respond: (res: JoinGroupResponse) => void,
  ): void {
    const member: Member = {
      memberId,
      clientId: client.clientId,
      clientHost: client.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      assignment: Buffer.alloc(0),
      awaitingJoin: respond,
    };
    if (group.members.size === 0) group.protocolType = req.protocolType;
    group.members.set(memberId, member);
    if (group.leaderId === null) group.leaderId = memberId;
    this.prepareRebalance(group);
  }

  private updateMember(member: Member, req: JoinGroupRequest, respond: (res: JoinGroupResponse) => void): void {
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (member.awaitingJoin) {
      // A member re-sending JoinGroup supersedes its own held request, as in Kafka.
      member.awaitingJoin(this.errorJoin(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
    member.awaitingJoin = respond;
  }

  private errorJoin(memberId: string, errorCode: number): JoinGroupResponse {
    return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const m of group.members.values()) this.answerSync(m, ErrorCode.REBALANCE_IN_PROGRESS);
    }
    if (group.syncTimer) clearTimeout(group.syncTimer);
    group.syncTimer = undefined;
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    if (!group.rebalanceTimer) {
      const rebalanceTimeout = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
      const delay =
        wasEmpty && this.config.initialRebalanceDelayMs > 0
          ? Math.min(this.config.initialRebalanceDelayMs, rebalanceTimeout)
          : rebalanceTimeout;
      group.rebalanceTimer = setTimeout(() => this.onRebalanceTimeout(group), delay);
      if (wasEmpty && this.config.initialRebalanceDelayMs > 0) return; // wait for more members
    }
    this.tryCompleteJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.pending.size > 0) return;
    for (const m of group.members.values()) if (!m.awaitingJoin) return;
    this.completeJoin(group);
  }

  private onRebalanceTimeout(group: Group): void {
    group.rebalanceTimer = undefined;
    if (group.state !== 'PreparingRebalance') return;
    for (const m of [...group.members.values()]) if (!m.awaitingJoin) this.dropMember(group, m);
    for (const t of group.pending.values()) clearTimeout(t);
    group.pending.clear();
    this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = undefined;
    group.generationId++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocolName = null;
      group.protocolType = null;
      group.leaderId = null;
      return;
    }
    group.protocolName = this.voteProtocol(group);
    if (!group.leaderId || !group.members.has(group.leaderId)) group.leaderId = [...group.members.keys()][0];
    group.state = 'CompletingRebalance';
    let syncTimeout = 0;
    for (const m of group.members.values()) {
      const respond = m.awaitingJoin;
      m.awaitingJoin = undefined;
      m.assignment = Buffer.alloc(0);
      syncTimeout = Math.max(syncTimeout, m.rebalanceTimeoutMs);
      this.touch(group, m);
      respond?.(this.joinAnswer(group, m));
    }
    const generation = group.generationId;
    // Members that never send SyncGroup are removed after the rebalance timeout, as in Kafka.
    group.syncTimer = setTimeout(() => {
      group.syncTimer = undefined;
      if (group.state !== 'CompletingRebalance' || group.generationId !== generation) return;
      for (const m of [...group.members.values()]) if (!m.awaitingSync) this.dropMember(group, m);
      this.prepareRebalance(group);
    }, syncTimeout);
  }

  /** Each member votes for its most preferred protocol among those all members support. */
  private voteProtocol(group: Group): string {
    const candidates = new Set(this.candidateProtocols(group));
    const votes = new Map<string, number>();
    for (const m of group.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name))?.name;
      if (choice) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const name of candidates) {
      const v = votes.get(name) ?? 0;
      if (v > bestVotes) [best, bestVotes] = [name, v];
    }
    return best;
  }

  private joinAnswer(group: Group, member: Member): JoinGroupResponse {
    const isLeader = member.memberId === group.leaderId;
    const protocol = group.protocolName ?? '';
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName: protocol,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            metadata: m.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0),
          }))
        : [],
    };
  }

  private answerSync(member: Member, errorCode: number): void {
    const respond = member.awaitingSync;
    member.awaitingSync = undefined;
    respond?.({ errorCode, assignment: errorCode === ErrorCode.NONE ? member.assignment : Buffer.alloc(0) });
  }

  /** Resets the member's session timer. */
  private touch(group: Group, member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => this.onSessionExpired(group, member), member.sessionTimeoutMs);
  }

  private onSessionExpired(group: Group, member: Member): void {
    if (group.members.get(member.memberId) !== member) return;
    // A member waiting on a held join or sync is alive by definition (Kafka's shouldKeepAlive).
    if (member.awaitingJoin || member.awaitingSync) return this.touch(group, member);
    this.removeMember(group, member);
  }

  /** Removes a member without triggering a rebalance (the caller decides). */
  private dropMember(group: Group, member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = undefined;
    group.members.delete(member.memberId);
    member.awaitingJoin?.(this.errorJoin(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    member.awaitingJoin = undefined;
    this.answerSync(member, ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.leaderId === member.memberId) group.leaderId = group.members.keys().next().value ?? null;
  }

  private removeMember(group: Group, member: Member): void {
    this.dropMember(group, member);
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
    else if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  /** Handles SyncGroup; the answer may be held until the leader's sync arrives. */
  sync(req: SyncGroupRequest, respond: (res: SyncAnswer) => void): void {
    const fail = (errorCode: number): void => respond({ errorCode, assignment: Buffer.alloc(0) });
    const group = this.groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    if (!group || !member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.touch(group, member);
        return respond({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance': {
        this.touch(group, member);
        member.awaitingSync = respond;
        if (member.memberId !== group.leaderId) return;
        const byMember = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
        for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? Buffer.alloc(0);
        if (group.syncTimer) clearTimeout(group.syncTimer);
        group.syncTimer = undefined;
        group.state = 'Stable';
        for (const m of group.members.values()) this.answerSync(m, ErrorCode.NONE);
        return;
      }
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  /** Handles Heartbeat. */
  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member || group.state === 'Empty') return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** Handles LeaveGroup for one or more members. */
  leave(groupId: string, memberIds: readonly string[]): { errorCode: number; members: Array<{ memberId: string; errorCode: number }> } {
    const group = this.groups.get(groupId);
    if (!group) {
      return {
        errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
        members: memberIds.map((memberId) => ({ memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })),
      };
    }
    const members = memberIds.map((memberId) => {
      const pending = group.pending.get(memberId);
      if (pending) {
        clearTimeout(pending);
        group.pending.delete(memberId);
        this.tryCompleteJoin(group);
        return { memberId, errorCode: ErrorCode.NONE };
      }
      const member = group.members.get(memberId);
      if (!member) return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      this.removeMember(group, member);
      return { memberId, errorCode: ErrorCode.NONE };
    });
    const errorCode = memberIds.length === 1 ? members[0].errorCode : ErrorCode.NONE;
    return { errorCode, members };
  }

  /** Handles OffsetCommit; returns per-partition error codes. */
  commitOffsets(req: OffsetCommitRequest): PartitionErrors {
    const all = (errorCode: number): PartitionErrors =>
      req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) }));
    if (!req.groupId) return all(ErrorCode.INVALID_GROUP_ID);
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      group = this.group(req.groupId, true)!;
    }
    if (!(req.generationId < 0 && group.state === 'Empty')) {
      const member = group.members.get(req.memberId);
      if (!member) return all(ErrorCode.UNKNOWN_MEMBER_ID);
      if (req.generationId !== group.generationId) return all(ErrorCode.ILLEGAL_GENERATION);
      if (group.state === 'CompletingRebalance') return all(ErrorCode.REBALANCE_IN_PROGRESS);
      this.touch(group, member);
    }
    const now = this.now();
    const accepted: Array<{ topic: string; partition: number; offset: number; leaderEpoch: number; metadata: string | null; commitTimestamp: number }> = [];
    const result = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (!this.partitionExists(t.name, p.index)) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (p.metadata !== null && Buffer.byteLength(p.metadata) > 4096) {
          return { index: p.index, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE };
        }
        accepted.push({
          topic: t.name,
          partition: p.index,
          offset: p.offset,
          leaderEpoch: p.leaderEpoch,
          metadata: p.metadata,
          commitTimestamp: now,
        });
        return { index: p.index, errorCode: ErrorCode.NONE };
      }),
    }));
    this.offsets.commit(req.groupId, accepted);
    return result;
  }

  /** Handles OffsetFetch: uncommitted partitions and unknown groups give -1 without error. */
  fetchOffsets(req: OffsetFetchRequest): OffsetFetchResponse {
    const entry = (topic: string, index: number) => {
      const c = this.offsets.get(req.groupId, topic, index);
      return {
        index,
        offset: c?.offset ?? -1,
        leaderEpoch: c?.leaderEpoch ?? -1,
        metadata: c ? c.metadata : '',
        errorCode: ErrorCode.NONE,
      };
    };
    if (req.topics === null) {
      const byTopic = new Map<string, number[]>();
      for (const c of this.offsets.all(req.groupId)) byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), c.partition]);
      return {
        errorCode: ErrorCode.NONE,
        topics: [...byTopic].map(([name, parts]) => ({ name, partitions: parts.map((p) => entry(name, p)) })),
      };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => entry(t.name, p)) })),
    };
  }

  /** Handles DescribeGroups; unknown groups are reported as Dead, as Kafka does. */
  describe(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const g = this.groups.get(groupId);
      if (!g) {
        const known = this.offsets.groupIds().includes(groupId);
        return {
          errorCode: ErrorCode.NONE,
          groupId,
          state: known ? 'Empty' : 'Dead',
          protocolType: known ? 'consumer' : '',
          protocolData: '',
          members: [],
        };
      }
      const stable = g.state === 'Stable';
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        state: g.state,
        protocolType: g.protocolType ?? (g.state === 'Empty' ? 'consumer' : ''),
        protocolData: stable ? (g.protocolName ?? '') : '',
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          metadata: stable ? (m.protocols.find((p) => p.name === g.protocolName)?.metadata ?? Buffer.alloc(0)) : Buffer.alloc(0),
          assignment: stable ? m.assignment : Buffer.alloc(0),
        })),
      };
    });
  }

  /** Handles ListGroups: live groups plus groups known only by committed offsets. */
  list(): Array<{ groupId: string; protocolType: string }> {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groupIds()]);
    return [...ids].map((groupId) => ({ groupId, protocolType: this.groups.get(groupId)?.protocolType ?? 'consumer' }));
  }

  /** A snapshot for the workbench UI and tests. */
  inspect(groupId: string): { state: GroupState; generationId: number; leaderId: string | null; members: string[] } | undefined {
    const g = this.groups.get(groupId);
    if (!g) return undefined;
    return { state: g.state, generationId: g.generationId, leaderId: g.leaderId, members: [...g.members.keys()] };
  }

  /** Drops offsets of a deleted topic. */
  topicDeleted(topic: string): void {
    this.offsets.deleteTopic(topic);
  }

  /** Cancels every timer and fails held requests so sockets can close. */
  close(): void {
    for (const g of this.groups.values()) {
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      if (g.syncTimer) clearTimeout(g.syncTimer);
      for (const t of g.pending.values()) clearTimeout(t);
      for (const m of g.members.values()) {
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        m.awaitingJoin?.(this.errorJoin(m.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
        this.answerSync(m, ErrorCode.REBALANCE_IN_PROGRESS);
      }
    }
    this.groups.clear();
  }
}
