
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "account_actions": {
                  Row: {
                    "action": string,"actor": string,"admin_id": string | null,"created_at": string,"from_role": Database["public"]['Enums']["app_role"] | null,"from_status": Database["public"]['Enums']["account_status"] | null,"id": number,"reason": string,"subject_email": string | null,"subject_phone": string | null,"subject_username": string | null,"to_role": Database["public"]['Enums']["app_role"] | null,"to_status": Database["public"]['Enums']["account_status"] | null,"user_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "action": string,"actor"?: string,"admin_id"?: string | null,"created_at"?: string,"from_role"?: Database["public"]['Enums']["app_role"] | null,"from_status"?: Database["public"]['Enums']["account_status"] | null,"id"?: never,"reason"?: string,"subject_email"?: string | null,"subject_phone"?: string | null,"subject_username"?: string | null,"to_role"?: Database["public"]['Enums']["app_role"] | null,"to_status"?: Database["public"]['Enums']["account_status"] | null,"user_id"?: string | null
                  }
                  Update: {
                    "action"?: string,"actor"?: string,"admin_id"?: string | null,"created_at"?: string,"from_role"?: Database["public"]['Enums']["app_role"] | null,"from_status"?: Database["public"]['Enums']["account_status"] | null,"id"?: never,"reason"?: string,"subject_email"?: string | null,"subject_phone"?: string | null,"subject_username"?: string | null,"to_role"?: Database["public"]['Enums']["app_role"] | null,"to_status"?: Database["public"]['Enums']["account_status"] | null,"user_id"?: string | null
                  }
                  Relationships: [
                    
                  ]
                },"blocks": {
                  Row: {
                    "blocked_id": string,"blocker_id": string,"created_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "blocked_id": string,"blocker_id": string,"created_at"?: string
                  }
                  Update: {
                    "blocked_id"?: string,"blocker_id"?: string,"created_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"comments": {
                  Row: {
                    "comment": string,"created_at": string,"created_by": string,"id": number,"post_id": number
                  }
                  ComputedFields: never
                  Insert: {
                    "comment": string,"created_at"?: string,"created_by"?: string,"id"?: never,"post_id": number
                  }
                  Update: {
                    "comment"?: string,"created_at"?: string,"created_by"?: string,"id"?: never,"post_id"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "comments_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"creator_applications": {
                  Row: {
                    "application_status": string,"created_at": string,"id": number,"review_note": string | null,"reviewed_at": string | null,"status": Database["public"]['Enums']["creator_application_status"],"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "application_status"?: never,"created_at"?: string,"id"?: never,"review_note"?: string | null,"reviewed_at"?: string | null,"status"?: Database["public"]['Enums']["creator_application_status"],"user_id"?: string
                  }
                  Update: {
                    "application_status"?: never,"created_at"?: string,"id"?: never,"review_note"?: string | null,"reviewed_at"?: string | null,"status"?: Database["public"]['Enums']["creator_application_status"],"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"follows": {
                  Row: {
                    "created_at": string,"followed_id": string,"follower_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"followed_id": string,"follower_id": string
                  }
                  Update: {
                    "created_at"?: string,"followed_id"?: string,"follower_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"forum_likes": {
                  Row: {
                    "created_at": string,"post_id": number,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"post_id": number,"user_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"post_id"?: number,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "forum_likes_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "forum_posts"
      referencedColumns: ["id"]
    }
                  ]
                },"forum_posts": {
                  Row: {
                    "author_active": boolean,"content": string,"created_at": string,"created_by": string,"id": number,"like_count": number,"picture_count": number,"picture_names": (string)[],"reply_count": number
                  }
                  ComputedFields: never
                  Insert: {
                    "author_active"?: boolean,"content": string,"created_at"?: string,"created_by"?: string,"id"?: never,"like_count"?: number,"picture_count"?: never,"picture_names"?: (string)[],"reply_count"?: number
                  }
                  Update: {
                    "author_active"?: boolean,"content"?: string,"created_at"?: string,"created_by"?: string,"id"?: never,"like_count"?: number,"picture_count"?: never,"picture_names"?: (string)[],"reply_count"?: number
                  }
                  Relationships: [
                    
                  ]
                },"forum_replies": {
                  Row: {
                    "author_active": boolean,"content": string,"created_at": string,"created_by": string,"id": number,"post_id": number
                  }
                  ComputedFields: never
                  Insert: {
                    "author_active"?: boolean,"content": string,"created_at"?: string,"created_by"?: string,"id"?: never,"post_id": number
                  }
                  Update: {
                    "author_active"?: boolean,"content"?: string,"created_at"?: string,"created_by"?: string,"id"?: never,"post_id"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "forum_replies_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "forum_posts"
      referencedColumns: ["id"]
    }
                  ]
                },"friend_requests": {
                  Row: {
                    "created_at": string,"from_user_id": string,"id": number,"responded_at": string | null,"status": Database["public"]['Enums']["friend_request_status"],"to_user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"from_user_id"?: string,"id"?: never,"responded_at"?: string | null,"status"?: Database["public"]['Enums']["friend_request_status"],"to_user_id": string
                  }
                  Update: {
                    "created_at"?: string,"from_user_id"?: string,"id"?: never,"responded_at"?: string | null,"status"?: Database["public"]['Enums']["friend_request_status"],"to_user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "friend_requests_from_user_id_fkey"
      columns: ["from_user_id"]
isOneToOne: false
      referencedRelation: "followers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_from_user_id_fkey"
      columns: ["from_user_id"]
isOneToOne: false
      referencedRelation: "following"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_from_user_id_fkey"
      columns: ["from_user_id"]
isOneToOne: false
      referencedRelation: "friends"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_from_user_id_fkey"
      columns: ["from_user_id"]
isOneToOne: false
      referencedRelation: "pending_friend_requests"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "friend_requests_from_user_id_fkey"
      columns: ["from_user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_from_user_id_fkey"
      columns: ["from_user_id"]
isOneToOne: false
      referencedRelation: "public_profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_to_user_id_fkey"
      columns: ["to_user_id"]
isOneToOne: false
      referencedRelation: "followers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_to_user_id_fkey"
      columns: ["to_user_id"]
isOneToOne: false
      referencedRelation: "following"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_to_user_id_fkey"
      columns: ["to_user_id"]
isOneToOne: false
      referencedRelation: "friends"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_to_user_id_fkey"
      columns: ["to_user_id"]
isOneToOne: false
      referencedRelation: "pending_friend_requests"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "friend_requests_to_user_id_fkey"
      columns: ["to_user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "friend_requests_to_user_id_fkey"
      columns: ["to_user_id"]
isOneToOne: false
      referencedRelation: "public_profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"moderation_actions": {
                  Row: {
                    "action": string,"actor": string,"admin_id": string | null,"created_at": string,"details": NonNullable<Json>,"id": number,"note": string,"post_author_id": string | null,"post_id": number | null
                  }
                  ComputedFields: never
                  Insert: {
                    "action": string,"actor"?: string,"admin_id"?: string | null,"created_at"?: string,"details"?: NonNullable<Json>,"id"?: never,"note"?: string,"post_author_id"?: string | null,"post_id"?: number | null
                  }
                  Update: {
                    "action"?: string,"actor"?: string,"admin_id"?: string | null,"created_at"?: string,"details"?: NonNullable<Json>,"id"?: never,"note"?: string,"post_author_id"?: string | null,"post_id"?: number | null
                  }
                  Relationships: [
                    
                  ]
                },"moderation_settings": {
                  Row: {
                    "auto_hide_threshold": number,"id": boolean,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "auto_hide_threshold"?: number,"id"?: boolean,"updated_at"?: string
                  }
                  Update: {
                    "auto_hide_threshold"?: number,"id"?: boolean,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"notification_preferences": {
                  Row: {
                    "all_notifications": boolean,"comments_notifications": boolean,"email_notifications": boolean,"event_reminders_notifications": boolean,"follow_notifications": boolean,"likes_notifications": boolean,"new_events_notifications": boolean,"push_notifications": boolean,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "all_notifications"?: boolean,"comments_notifications"?: boolean,"email_notifications"?: boolean,"event_reminders_notifications"?: boolean,"follow_notifications"?: boolean,"likes_notifications"?: boolean,"new_events_notifications"?: boolean,"push_notifications"?: boolean,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "all_notifications"?: boolean,"comments_notifications"?: boolean,"email_notifications"?: boolean,"event_reminders_notifications"?: boolean,"follow_notifications"?: boolean,"likes_notifications"?: boolean,"new_events_notifications"?: boolean,"push_notifications"?: boolean,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"notifications": {
                  Row: {
                    "created_at": string,"id": number,"is_read": boolean,"message": string,"notification_type": Database["public"]['Enums']["notification_type"],"page": string | null,"page_item_id": number | null,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: never,"is_read"?: boolean,"message": string,"notification_type"?: Database["public"]['Enums']["notification_type"],"page"?: string | null,"page_item_id"?: number | null,"user_id": string
                  }
                  Update: {
                    "created_at"?: string,"id"?: never,"is_read"?: boolean,"message"?: string,"notification_type"?: Database["public"]['Enums']["notification_type"],"page"?: string | null,"page_item_id"?: number | null,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"parent_links": {
                  Row: {
                    "child_id": string,"created_at": string,"id": number,"parent_email": string,"verified_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "child_id": string,"created_at"?: string,"id"?: never,"parent_email": string,"verified_at"?: string
                  }
                  Update: {
                    "child_id"?: string,"created_at"?: string,"id"?: never,"parent_email"?: string,"verified_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"personal_details": {
                  Row: {
                    "birthday": string,"user_address": string,"user_id": string,"user_phone": string
                  }
                  ComputedFields: never
                  Insert: {
                    "birthday"?: string,"user_address"?: string,"user_id": string,"user_phone"?: string
                  }
                  Update: {
                    "birthday"?: string,"user_address"?: string,"user_id"?: string,"user_phone"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "personal_details_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "followers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "personal_details_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "following"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "personal_details_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "friends"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "personal_details_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "pending_friend_requests"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "personal_details_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "personal_details_user_id_fkey"
      columns: ["user_id"]
isOneToOne: true
      referencedRelation: "public_profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"post_hides": {
                  Row: {
                    "created_at": string,"post_id": number,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"post_id": number,"user_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"post_id"?: number,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_hides_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"post_likes": {
                  Row: {
                    "created_at": string,"post_id": number,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"post_id": number,"user_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"post_id"?: number,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_likes_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"post_media": {
                  Row: {
                    "bucket_id": string,"created_at": string,"created_by": string,"id": number,"kind": Database["public"]['Enums']["post_media_kind"],"mime_type": string,"object_name": string,"position": number,"post_id": number,"size_bytes": number
                  }
                  ComputedFields: never
                  Insert: {
                    "bucket_id": string,"created_at"?: string,"created_by": string,"id"?: never,"kind": Database["public"]['Enums']["post_media_kind"],"mime_type": string,"object_name": string,"position": number,"post_id": number,"size_bytes": number
                  }
                  Update: {
                    "bucket_id"?: string,"created_at"?: string,"created_by"?: string,"id"?: never,"kind"?: Database["public"]['Enums']["post_media_kind"],"mime_type"?: string,"object_name"?: string,"position"?: number,"post_id"?: number,"size_bytes"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_media_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"post_mentions": {
                  Row: {
                    "created_at": string,"post_id": number,"source": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"post_id": number,"source"?: string,"user_id": string
                  }
                  Update: {
                    "created_at"?: string,"post_id"?: number,"source"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_mentions_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"post_reports": {
                  Row: {
                    "created_at": string,"description": string,"id": number,"post_id": number,"reason": Database["public"]['Enums']["report_reason"],"state": Database["public"]['Enums']["report_state"],"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string,"id"?: never,"post_id": number,"reason": Database["public"]['Enums']["report_reason"],"state"?: Database["public"]['Enums']["report_state"],"user_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string,"id"?: never,"post_id"?: number,"reason"?: Database["public"]['Enums']["report_reason"],"state"?: Database["public"]['Enums']["report_state"],"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_reports_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"post_tags": {
                  Row: {
                    "post_id": number,"source": string,"tag_id": number
                  }
                  ComputedFields: never
                  Insert: {
                    "post_id": number,"source"?: string,"tag_id": number
                  }
                  Update: {
                    "post_id"?: number,"source"?: string,"tag_id"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_tags_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "post_tags_tag_id_fkey"
      columns: ["tag_id"]
isOneToOne: false
      referencedRelation: "tags"
      referencedColumns: ["id"]
    }
                  ]
                },"post_views": {
                  Row: {
                    "post_id": number,"viewed_on": string,"viewer_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "post_id": number,"viewed_on"?: string,"viewer_id"?: string
                  }
                  Update: {
                    "post_id"?: number,"viewed_on"?: string,"viewer_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "post_views_post_id_fkey"
      columns: ["post_id"]
isOneToOne: false
      referencedRelation: "posts"
      referencedColumns: ["id"]
    }
                  ]
                },"posts": {
                  Row: {
                    "allow_download": boolean,"author_active": boolean,"category": string | null,"comment_count": number,"created_at": string,"created_by": string,"duration_seconds": number | null,"id": number,"like_count": number,"media_path": string | null,"moderation_hidden_at": string | null,"post_banner": string | null,"post_description": string,"post_title": string,"post_type": Database["public"]['Enums']["post_type"],"require_premium": boolean,"thumbnail_path": string | null,"updated_at": string,"upload_status": Database["public"]['Enums']["upload_status"],"video_quality": string | null,"view_count": number,"visibility": Database["public"]['Enums']["post_visibility"],"youtube_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "allow_download"?: boolean,"author_active"?: boolean,"category"?: string | null,"comment_count"?: number,"created_at"?: string,"created_by"?: string,"duration_seconds"?: number | null,"id"?: never,"like_count"?: number,"media_path"?: string | null,"moderation_hidden_at"?: string | null,"post_banner"?: string | null,"post_description"?: string,"post_title": string,"post_type"?: Database["public"]['Enums']["post_type"],"require_premium"?: boolean,"thumbnail_path"?: string | null,"updated_at"?: string,"upload_status"?: Database["public"]['Enums']["upload_status"],"video_quality"?: string | null,"view_count"?: number,"visibility"?: Database["public"]['Enums']["post_visibility"],"youtube_id"?: string | null
                  }
                  Update: {
                    "allow_download"?: boolean,"author_active"?: boolean,"category"?: string | null,"comment_count"?: number,"created_at"?: string,"created_by"?: string,"duration_seconds"?: number | null,"id"?: never,"like_count"?: number,"media_path"?: string | null,"moderation_hidden_at"?: string | null,"post_banner"?: string | null,"post_description"?: string,"post_title"?: string,"post_type"?: Database["public"]['Enums']["post_type"],"require_premium"?: boolean,"thumbnail_path"?: string | null,"updated_at"?: string,"upload_status"?: Database["public"]['Enums']["upload_status"],"video_quality"?: string | null,"view_count"?: number,"visibility"?: Database["public"]['Enums']["post_visibility"],"youtube_id"?: string | null
                  }
                  Relationships: [
                    
                  ]
                },"profiles": {
                  Row: {
                    "created_at": string,"first_name": string,"follower_count": number,"following_count": number,"id": string,"last_name": string,"profile_pic": string | null,"status": Database["public"]['Enums']["account_status"],"updated_at": string,"user_social_fb": string,"user_social_twt": string,"user_social_yt": string,"user_type": string,"username": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"first_name"?: string,"follower_count"?: number,"following_count"?: number,"id": string,"last_name"?: string,"profile_pic"?: string | null,"status"?: Database["public"]['Enums']["account_status"],"updated_at"?: string,"user_social_fb"?: string,"user_social_twt"?: string,"user_social_yt"?: string,"user_type"?: string,"username": string
                  }
                  Update: {
                    "created_at"?: string,"first_name"?: string,"follower_count"?: number,"following_count"?: number,"id"?: string,"last_name"?: string,"profile_pic"?: string | null,"status"?: Database["public"]['Enums']["account_status"],"updated_at"?: string,"user_social_fb"?: string,"user_social_twt"?: string,"user_social_yt"?: string,"user_type"?: string,"username"?: string
                  }
                  Relationships: [
                    
                  ]
                },"push_tokens": {
                  Row: {
                    "created_at": string,"id": number,"platform": Database["public"]['Enums']["push_platform"],"session_id": string,"token": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: never,"platform": Database["public"]['Enums']["push_platform"],"session_id"?: string,"token": string,"updated_at"?: string,"user_id"?: string
                  }
                  Update: {
                    "created_at"?: string,"id"?: never,"platform"?: Database["public"]['Enums']["push_platform"],"session_id"?: string,"token"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"tags": {
                  Row: {
                    "created_at": string,"id": number,"name": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: never,"name": string
                  }
                  Update: {
                    "created_at"?: string,"id"?: never,"name"?: string
                  }
                  Relationships: [
                    
                  ]
                },"user_roles": {
                  Row: {
                    "role": Database["public"]['Enums']["app_role"],"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "role"?: Database["public"]['Enums']["app_role"],"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "role"?: Database["public"]['Enums']["app_role"],"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                }
          }
          Views: {
            "followers": {
                  Row: {
                    "first_name": string,"followed_at": string,"id": string,"last_name": string,"profile_pic": string | null,"user_id": string,"username": string | null
                  }
                  ComputedFields: never
                  Relationships: [
                    
                  ]
                },"following": {
                  Row: {
                    "first_name": string,"followed_at": string,"id": string,"last_name": string,"profile_pic": string | null,"user_id": string,"username": string | null
                  }
                  ComputedFields: never
                  Relationships: [
                    
                  ]
                },"friends": {
                  Row: {
                    "first_name": string,"friends_since": string | null,"id": string,"last_name": string,"profile_pic": string | null,"username": string | null
                  }
                  ComputedFields: never
                  Relationships: [
                    
                  ]
                },"pending_friend_requests": {
                  Row: {
                    "created_at": string,"direction": string | null,"id": number,"profile_pic": string | null,"user_id": string,"username": string | null
                  }
                  ComputedFields: never
                  Relationships: [
                    
                  ]
                },"public_profiles": {
                  Row: {
                    "blocked_by_user": boolean | null,"created_at": string,"first_name": string,"followed_by_user": boolean | null,"follower_count": number,"following_count": number,"id": string,"last_name": string,"profile_pic": string | null,"status": Database["public"]['Enums']["account_status"],"user_group": Database["public"]['Enums']["app_role"] | null,"user_social_fb": string,"user_social_twt": string,"user_social_yt": string,"user_type": string,"username": string | null
                  }
                  ComputedFields: never
                  Relationships: [
                    
                  ]
                }
          }
          Functions: {
            "accept_friend_request":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"add_comment":
{ Args: { "p_comment": string,"p_post_id": number }; Returns: Json
                           },
"admin_ban_user":
{ Args: { "p_reason"?: string,"p_user_id": string }; Returns: Json
                           },
"admin_list_users":
{ Args: { "p_search"?: string,"p_status"?: Database["public"]['Enums']["account_status"] }; Returns: {
              "created_at": string,"email": string,"id": string,"last_sign_in_at": string,"phone": string,"role": Database["public"]['Enums']["app_role"],"status": Database["public"]['Enums']["account_status"],"username": string
            }[]
                           },
"admin_reactivate_user":
{ Args: { "p_reason"?: string,"p_user_id": string }; Returns: Json
                           },
"admin_suspend_user":
{ Args: { "p_reason"?: string,"p_user_id": string }; Returns: Json
                           },
"admin_unban_user":
{ Args: { "p_reason"?: string,"p_user_id": string }; Returns: Json
                           },
"admin_unsuspend_user":
{ Args: { "p_reason"?: string,"p_user_id": string }; Returns: Json
                           },
"apply_for_creator":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"cancel_friend_request":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"create_forum_post":
{ Args: { "p_content"?: string,"p_picture_names"?: (string)[] }; Returns: Json
                           },
"create_video":
{ Args: { "p_video": Json }; Returns: Json
                           },
"creator_dashboard":
{ Args: { "p_page"?: number,"p_page_size"?: number }; Returns: Json
                           },
"custom_access_token_hook":
{ Args: { "event": Json }; Returns: Json
                           },
"deactivate_account":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"decline_friend_request":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"delete_comment":
{ Args: { "p_comment_id": number }; Returns: undefined
                           },
"delete_video":
{ Args: { "p_video_id": number }; Returns: Json
                           },
"forum_feed":
{ Args: { "p_last_post_id"?: number }; Returns: Json
                           },
"forum_reply":
{ Args: { "p_post_id"?: number,"p_reply_content"?: string }; Returns: Json
                           },
"forum_toggle_like":
{ Args: { "p_post_id": number }; Returns: Json
                           },
"get_child_activity_summary":
{ Args: { "p_child_id": string }; Returns: Json
                           },
"get_post":
{ Args: { "p_post_id": number }; Returns: Json
                           },
"get_video":
{ Args: { "p_video_id": number }; Returns: Json
                           },
"hide_post":
{ Args: { "p_post_id": number }; Returns: Json
                           },
"like_post":
{ Args: { "p_post_id": number }; Returns: Json
                           },
"like_video":
{ Args: { "p_is_like": boolean,"p_video_id": number }; Returns: Json
                           },
"list_creator_applications":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_status"?: Database["public"]['Enums']["creator_application_status"] }; Returns: Json
                           },
"list_post_comments":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_post_id": number }; Returns: Json
                           },
"list_post_likers":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_post_id": number }; Returns: Json
                           },
"list_posts":
{ Args: { "p_ordering"?: string,"p_page"?: number,"p_page_size"?: number,"p_post_type"?: Database["public"]['Enums']["post_type"],"p_search"?: string,"p_tag"?: string }; Returns: Json
                           },
"list_reels":
{ Args: { "p_page"?: number,"p_page_size"?: number }; Returns: Json
                           },
"list_tags":
{ Args: { "p_limit"?: number,"p_search"?: string }; Returns: {
              "id": number,"name": string,"use_count": number
            }[]
                           },
"list_user_posts":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_user_id": string }; Returns: Json
                           },
"list_videos":
{ Args: { "p_ordering"?: string,"p_page"?: number,"p_page_size"?: number,"p_search"?: string,"p_uploader"?: string,"p_visibility"?: string }; Returns: Json
                           },
"mark_all_notifications_read":
{ Args: Record<PropertyKey, never>; Returns: number
                           },
"moderation_dismiss":
{ Args: { "p_note"?: string,"p_post_id": number }; Returns: Json
                           },
"moderation_queue":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_post_type"?: string,"p_reason"?: string,"p_state"?: string }; Returns: Json
                           },
"moderation_resolve":
{ Args: { "p_note"?: string,"p_post_id": number,"p_suspend_author"?: boolean }; Returns: Json
                           },
"record_post_view":
{ Args: { "p_post_id": number }; Returns: Json
                           },
"register_push_token":
{ Args: { "p_platform": string,"p_token": string }; Returns: Json
                           },
"report_post":
{ Args: { "p_description"?: string,"p_post_id": number,"p_reason": string }; Returns: Json
                           },
"report_types":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"review_creator_application":
{ Args: { "p_application_id": number,"p_decision": string,"p_note"?: string }; Returns: Json
                           },
"search_posts":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_query": string }; Returns: Json
                           },
"search_profiles":
{ Args: { "p_query": string }; Returns: {
              "blocked_by_user": boolean | null,
"created_at": string,
"first_name": string,
"followed_by_user": boolean | null,
"follower_count": number,
"following_count": number,
"id": string,
"last_name": string,
"profile_pic": string | null,
"status": Database["public"]['Enums']["account_status"],
"user_group": Database["public"]['Enums']["app_role"] | null,
"user_social_fb": string,
"user_social_twt": string,
"user_social_yt": string,
"user_type": string,
"username": string | null
            }[]
                          SetofOptions: {
        from: "*"
        to: "public_profiles"
        isOneToOne: false
        isSetofReturn: true
      } },
"search_videos":
{ Args: { "p_category"?: string,"p_duration_max"?: number,"p_duration_min"?: number,"p_ordering"?: string,"p_page"?: number,"p_page_size"?: number,"p_q": string,"p_quality"?: string }; Returns: Json
                           },
"send_friend_request":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"set_post_mentions":
{ Args: { "p_post_id": number,"p_user_ids": (string)[] }; Returns: (string)[]
                           },
"set_post_tags":
{ Args: { "p_post_id": number,"p_tags": (string)[] }; Returns: (string)[]
                           },
"start_video_upload":
{ Args: { "p_allow_download"?: boolean,"p_category"?: string,"p_description"?: string,"p_mime_type": string,"p_post_type": Database["public"]['Enums']["post_type"],"p_require_premium"?: boolean,"p_size_bytes": number,"p_title": string,"p_visibility"?: Database["public"]['Enums']["post_visibility"] }; Returns: Json
                           },
"toggle_block":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"toggle_follow":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"trending_posts":
{ Args: { "p_page"?: number,"p_page_size"?: number,"p_post_type"?: Database["public"]['Enums']["post_type"] }; Returns: Json
                           },
"unfriend":
{ Args: { "p_user_id": string }; Returns: Json
                           },
"unhide_post":
{ Args: { "p_post_id": number }; Returns: undefined
                           },
"unlike_post":
{ Args: { "p_post_id": number }; Returns: undefined
                           },
"update_own_profile":
{ Args: { "p_changes": Json }; Returns: Json
                           },
"update_video":
{ Args: { "p_changes": Json,"p_video_id": number }; Returns: Json
                           },
"video_download":
{ Args: { "p_video_id": number }; Returns: Json
                           },
"video_stream":
{ Args: { "p_video_id": number }; Returns: Json
                           },
"video_upload_status":
{ Args: { "p_post_id": number }; Returns: Json
                           },
"withdraw_report":
{ Args: { "p_post_id": number }; Returns: undefined
                           }
          }
          Enums: {
            "account_status": "active"|"deactivated"|"suspended"|"banned","app_role": "visitor"|"creator"|"admin","creator_application_status": "pending"|"approved"|"rejected","friend_request_status": "pending"|"accepted","notification_type": "general"|"follow"|"like"|"comment"|"new_event"|"event_reminder"|"mention"|"friend_request"|"friend_accepted","post_media_kind": "image"|"video"|"audio"|"document","post_type": "post"|"reel"|"video"|"youtube_video"|"youtube_reel","post_visibility": "public"|"unlisted"|"private","push_platform": "ios"|"android"|"web","report_reason": "spam"|"abuse"|"false"|"hate"|"nsfw"|"other","report_state": "open"|"resolved"|"dismissed","upload_status": "uploading"|"processing"|"ready"|"failed"
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            "account_status": ["active", "deactivated", "suspended", "banned"],"app_role": ["visitor", "creator", "admin"],"creator_application_status": ["pending", "approved", "rejected"],"friend_request_status": ["pending", "accepted"],"notification_type": ["general", "follow", "like", "comment", "new_event", "event_reminder", "mention", "friend_request", "friend_accepted"],"post_media_kind": ["image", "video", "audio", "document"],"post_type": ["post", "reel", "video", "youtube_video", "youtube_reel"],"post_visibility": ["public", "unlisted", "private"],"push_platform": ["ios", "android", "web"],"report_reason": ["spam", "abuse", "false", "hate", "nsfw", "other"],"report_state": ["open", "resolved", "dismissed"],"upload_status": ["uploading", "processing", "ready", "failed"]
          }
        }
} as const
