-- What reports do on their own, through every door (RPC, raw REST, the dashboard): a report on one's
-- own post is refused; the report that brings a post to the threshold of distinct open reports
-- (moderation_settings.auto_hide_threshold) hides it, exactly once under concurrent reports; and any
-- change of posts.moderation_hidden_at, whoever makes it, is audited and, when it hides the post,
-- notifies the author.
-- Objects: functions private.refuse_own_post_report, private.auto_hide_reported_post,
-- private.audit_moderation_hide; triggers post_reports_refuse_own_post, post_reports_auto_hide,
-- posts_audit_moderation_hide.

-- Definer: the reporter may not be able to read every column it needs (and postgres has no JWT).
create function private.refuse_own_post_report()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.posts p where p.id = new.post_id and p.created_by = new.user_id) then
    raise exception 'You cannot report your own post.' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function private.refuse_own_post_report() is 'Refuses a report of one''s own post (400 "You cannot report your own post.").';
revoke execute on function private.refuse_own_post_report() from public, anon, authenticated;
create trigger post_reports_refuse_own_post before insert or update of post_id, user_id on public.post_reports
  for each row execute function private.refuse_own_post_report();

-- Definer: the reporter may neither write posts.moderation_hidden_at nor read other users' reports.
-- The post row is locked (no key update: it does not wait on the foreign-key checks of other
-- reports) before counting, so concurrent reports count one after another and only one of them can
-- see the threshold reached on a post still shown. Each statement below takes a fresh snapshot, so
-- the count includes reports committed while this one waited for the lock.
create function private.auto_hide_reported_post()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_hidden_at timestamptz;
  v_threshold integer;
  v_open bigint;
begin
  select p.moderation_hidden_at into v_hidden_at from public.posts p where p.id = new.post_id for no key update;
  if not found or v_hidden_at is not null then
    return null;
  end if;
  select s.auto_hide_threshold into v_threshold from public.moderation_settings s;
  select count(*) into v_open from public.post_reports r where r.post_id = new.post_id and r.state = 'open';
  if v_open >= coalesce(v_threshold, 5) then
    perform set_config('marquee.moderation_action', jsonb_build_object(
      'post_id', new.post_id, 'action', 'auto_hide', 'note', '',
      'details', jsonb_build_object('open_reports', v_open, 'threshold', v_threshold))::text, true);
    update public.posts set moderation_hidden_at = now() where id = new.post_id;
    perform set_config('marquee.moderation_action', '', true);
  end if;
  return null;
end;
$$;
comment on function private.auto_hide_reported_post() is
  'Hides a post (moderation_hidden_at) once it has auto_hide_threshold distinct open reports; exactly once under concurrency.';
revoke execute on function private.auto_hide_reported_post() from public, anon, authenticated;
create trigger post_reports_auto_hide after insert on public.post_reports
  for each row execute function private.auto_hide_reported_post();

-- Every change of the hide mark is audited. The moderation functions say what they are doing in the
-- transaction-local setting marquee.moderation_action (as private.set_account_status does for the
-- account audit); any other change (the dashboard, service_role) is recorded as a plain hide/unhide
-- with its actor. Definer: the audit and the author's notification are not the writer's to write.
create function private.audit_moderation_hide()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_context jsonb := nullif(current_setting('marquee.moderation_action', true), '')::jsonb;
  v_old timestamptz := case when tg_op = 'UPDATE' then old.moderation_hidden_at end;
  v_action text;
begin
  if v_old is not distinct from new.moderation_hidden_at or (v_old is not null and new.moderation_hidden_at is not null) then
    return null;
  end if;
  if v_context is not null and (v_context ->> 'post_id')::bigint = new.id then
    v_action := v_context ->> 'action';
  else
    v_action := case when new.moderation_hidden_at is null then 'unhide' else 'hide' end;
    v_context := '{}';
  end if;
  insert into public.moderation_actions (post_id, post_author_id, action, note, details)
  values (new.id, new.created_by, v_action, coalesce(v_context ->> 'note', ''),
          coalesce(v_context -> 'details', '{}') || jsonb_build_object('hidden', new.moderation_hidden_at is not null));
  if new.moderation_hidden_at is not null then
    perform private.notify(new.created_by, 'general',
      case when v_action = 'auto_hide'
        then format('Your post "%s" was hidden after reports from other users and is waiting for review.', new.post_title)
        else format('Your post "%s" was hidden by a moderator.', new.post_title)
      end,
      'post', new.id);
  end if;
  return null;
end;
$$;
comment on function private.audit_moderation_hide() is
  'Audits every change of posts.moderation_hidden_at (with the moderation function''s action and note, or as a direct hide/unhide) and notifies the author when the post is hidden.';
revoke execute on function private.audit_moderation_hide() from public, anon, authenticated;
create trigger posts_audit_moderation_hide after insert or update of moderation_hidden_at on public.posts
  for each row execute function private.audit_moderation_hide();
